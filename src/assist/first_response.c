#include "assist/first_response.h"

#include <stdio.h>
#include <stdlib.h>

#include "assist/live.h"
#include "assist/live.h"
#include "assist/reply.h"
#include "tickets/tickets.h"

#define FIRST_HOURS_MAX (24 * 30)
#define FIRST_MIN_CONFIDENCE 0.5  /* defaults until an admin sets them (as in migration 008) */
#define FIRST_HOURS 24

static json_t *settings_get(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT enabled, min_confidence, response_hours FROM ai_first_response"
                                      " WHERE id = 1", NULL);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *out = rc == DB_ROW    ? json_pack("{s:b, s:f, s:I}", "enabled", db_col_int(st, 0) != 0, "min_confidence",
                                              db_col_double(st, 1), "response_hours", (json_int_t)db_col_int(st, 2))
                  : rc == DB_DONE ? json_pack("{s:b, s:f, s:i}", "enabled", 0, "min_confidence", FIRST_MIN_CONFIDENCE,
                                              "response_hours", FIRST_HOURS)
                                  : NULL;
    db_finalize(st);
    return out;
}

static enum err settings_check(json_t *v, struct failure *f)
{
    if (!json_is_object(v))
        return fail(f, ERR_VALIDATION, "first_response",
                    "first_response must be an object {enabled?, min_confidence?, response_hours?}");
    json_t *en = json_object_get(v, "enabled"), *mc = json_object_get(v, "min_confidence"),
           *h = json_object_get(v, "response_hours");
    if (en && !json_is_boolean(en))
        return fail(f, ERR_VALIDATION, "first_response.enabled", "first_response.enabled must be true or false");
    if (mc && (!json_is_number(mc) || json_number_value(mc) < 0 || json_number_value(mc) > 1))
        return fail(f, ERR_VALIDATION, "first_response.min_confidence",
                    "first_response.min_confidence must be a number from 0 to 1");
    if (h && (!json_is_integer(h) || json_integer_value(h) < 1 || json_integer_value(h) > FIRST_HOURS_MAX))
        return fail(f, ERR_VALIDATION, "first_response.response_hours",
                    "first_response.response_hours must be a whole number from 1 to %d", FIRST_HOURS_MAX);
    return ERR_OK;
}

static int settings_store(struct db *db, json_t *cur)
{
    return db_run(db,
                    "INSERT INTO ai_first_response (id, enabled, min_confidence, response_hours) VALUES (1, $1, $2, $3)"
                    " ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, min_confidence ="
                    " excluded.min_confidence, response_hours = excluded.response_hours",
                    "idi", (int64_t)json_is_true(json_object_get(cur, "enabled")),
                    json_number_value(json_object_get(cur, "min_confidence")),
                    (int64_t)json_integer_value(json_object_get(cur, "response_hours")));
}

const struct assist_setting assist_first_response_setting = {"first_response", settings_get, settings_check, true,
                                                             settings_store};

/* Posts body as the AI's public reply to ticket_id and records the decision (label, confidence,
 * sources), in one transaction; then message.created on bus. */
static enum err post_first(struct db *db, struct bus *bus, int64_t ticket_id, const char *body, const char *label,
                           double confidence, json_t *sources, struct failure *f)
{
    json_t *why = json_pack("{s:s, s:O}", "body", body, "sources", sources);
    int64_t mid;
    int rc = db_begin(db);
    if (rc >= 0)
        rc = assist_post_message(db, ticket_id, body, false, &mid);
    if (rc >= 0)
        rc = assist_decision_add(db, "first_response", ticket_id, label, confidence, true, why, NULL);
    if (rc >= 0)
        rc = tickets_touch(db, ticket_id);
    if (rc >= 0)
        rc = db_commit(db);
    json_decref(why);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not post the first response: %s", db_errmsg(db));
    }
    assist_live_message(bus, db, mid);
    return ERR_OK;
}

enum err assist_first_response(struct assist *a, struct db *db, struct bus *bus, struct kb_index *ix,
                               int64_t ticket_id, struct failure *f)
{
    json_t *cfg = settings_get(db);
    if (!cfg)
        return fail(f, ERR_INTERNAL, NULL, "could not read the first-response settings: %s", db_errmsg(db));
    bool enabled = json_is_true(json_object_get(cfg, "enabled"));
    double min_confidence = json_number_value(json_object_get(cfg, "min_confidence"));
    int hours = (int)json_integer_value(json_object_get(cfg, "response_hours"));
    json_decref(cfg);
    if (!enabled)
        return ERR_OK;
    struct assist_gathered g;
    char *body = NULL;
    enum err e = assist_gather(a, db, ix, ticket_id, false, &g, f);
    if (e)
        goto done;
    const struct assist_source *best = g.n ? &g.src[0] : NULL;
    if (best && best->confidence >= min_confidence) {
        body = assist_compose(&g, best->language, NULL, best->passages, best->title);
        json_t *sources = assist_sources_json(best, 1);
        e = post_first(db, bus, ticket_id, body, "kb", best->confidence, sources, f);
        json_decref(sources);
    } else {
        char ack[300];
        snprintf(ack, sizeof ack, assist_reply_ack_format(g.lang), hours);
        body = assist_compose(&g, g.lang, NULL, ack, NULL);
        json_t *sources = json_array();
        e = post_first(db, bus, ticket_id, body, "acknowledgement", best ? best->confidence : 0, sources, f);
        json_decref(sources);
    }
done:
    free(body);
    assist_gathered_free(&g);
    return e;
}
