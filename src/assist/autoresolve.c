#include "assist/autoresolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assist/live.h"
#include "assist/reply.h"
#include "audit/audit.h"
#include "tickets/tickets.h"
#include "tickets/workflow.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define CATEGORIES_MAX 100
#define TIMEOUT_MAX (30 * 86400)
#define DEFAULT_MIN_CONFIDENCE 0.6  /* defaults until an admin sets them (as in migration 011) */
#define DEFAULT_TIMEOUT (72 * 3600)

static json_t *settings_get(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT enabled, categories, min_confidence, timeout_seconds FROM ai_auto_resolve"
                                      " WHERE id = 1", NULL);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *out = NULL;
    if (rc == DB_ROW) {
        json_t *cats = json_loads(db_col_text(st, 1), 0, NULL);
        out = json_pack("{s:b, s:o, s:f, s:I}", "enabled", db_col_int(st, 0) != 0, "categories",
                        json_is_array(cats) ? cats : json_array(), "min_confidence", db_col_double(st, 2),
                        "timeout_seconds", (json_int_t)db_col_int(st, 3));
        if (cats && !json_is_array(cats))
            json_decref(cats);
    } else if (rc == DB_DONE) {
        out = json_pack("{s:b, s:[], s:f, s:i}", "enabled", 0, "categories", "min_confidence", DEFAULT_MIN_CONFIDENCE,
                        "timeout_seconds", DEFAULT_TIMEOUT);
    }
    db_finalize(st);
    return out;
}

static enum err settings_check(json_t *v, struct failure *f)
{
    if (!json_is_object(v))
        return fail(f, ERR_VALIDATION, "auto_resolve",
                    "auto_resolve must be an object {enabled?, categories?, min_confidence?, timeout_seconds?}");
    json_t *en = json_object_get(v, "enabled"), *cats = json_object_get(v, "categories"),
           *mc = json_object_get(v, "min_confidence"), *to = json_object_get(v, "timeout_seconds"), *c;
    size_t i;
    if (en && !json_is_boolean(en))
        return fail(f, ERR_VALIDATION, "auto_resolve.enabled", "auto_resolve.enabled must be true or false");
    if (cats && (!json_is_array(cats) || json_array_size(cats) > CATEGORIES_MAX))
        return fail(f, ERR_VALIDATION, "auto_resolve.categories",
                    "auto_resolve.categories must be a list of at most %d category labels", CATEGORIES_MAX);
    json_array_foreach(cats, i, c) {
        if (!json_is_string(c) || !json_string_length(c) || json_string_length(c) > ASSIST_LABEL_MAX) {
            fail(f, ERR_VALIDATION, NULL, "auto_resolve.categories[%zu] must be a category label of 1 to %d bytes", i,
                 ASSIST_LABEL_MAX);
            snprintf(f->field, sizeof f->field, "auto_resolve.categories[%zu]", i);
            return ERR_VALIDATION;
        }
    }
    if (mc && (!json_is_number(mc) || json_number_value(mc) < 0 || json_number_value(mc) > 1))
        return fail(f, ERR_VALIDATION, "auto_resolve.min_confidence",
                    "auto_resolve.min_confidence must be a number from 0 to 1");
    if (to && (!json_is_integer(to) || json_integer_value(to) < 1 || json_integer_value(to) > TIMEOUT_MAX))
        return fail(f, ERR_VALIDATION, "auto_resolve.timeout_seconds",
                    "auto_resolve.timeout_seconds must be a whole number of seconds from 1 to %d", TIMEOUT_MAX);
    return ERR_OK;
}

static int settings_store(struct db *db, json_t *cur)
{
    char *cats = json_dumps(json_object_get(cur, "categories"), JSON_COMPACT);
    int rc = db_run(db,
                    "INSERT INTO ai_auto_resolve (id, enabled, categories, min_confidence, timeout_seconds)"
                    " VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled,"
                    " categories = excluded.categories, min_confidence = excluded.min_confidence,"
                    " timeout_seconds = excluded.timeout_seconds",
                    "itdi", (int64_t)json_is_true(json_object_get(cur, "enabled")), cats,
                    json_number_value(json_object_get(cur, "min_confidence")),
                    (int64_t)json_integer_value(json_object_get(cur, "timeout_seconds")));
    free(cats);
    return rc;
}

const struct assist_setting assist_auto_resolve_setting = {"auto_resolve", settings_get, settings_check, true,
                                                           settings_store};

enum err assist_ticket_status(struct db *db, int64_t ticket_id, const char *to, struct failure *f)
{
    struct db_stmt *st = db_query(db, "SELECT status FROM tickets WHERE id = $1", "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    char from[WORKFLOW_KEY_MAX + 8] = "", category[16];
    if (rc == DB_ROW)
        snprintf(from, sizeof from, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? fail(f, ERR_NOT_FOUND, NULL, "no such ticket")
                             : fail(f, ERR_INTERNAL, NULL, "could not read the ticket: %s", db_errmsg(db));
    enum err e = workflow_status_category(db, to, category, f);
    if (e || (e = workflow_check_transition(db, from, to, f)) || strcmp(from, to) == 0)
        return e;
    bool solved = strcmp(category, "solved") == 0 || strcmp(category, "closed") == 0;
    rc = db_run(db,
                "UPDATE tickets SET status = $1, solved_at = CASE WHEN $2 = 1 THEN COALESCE(solved_at, $3) END"
                " WHERE id = $4",
                "tiii", to, (int64_t)solved, time_now(), ticket_id);
    struct audit_entry ae = {.actor_kind = "ai", .action = "ticket.update", .target_type = "ticket",
                             .target_id = ticket_id, .field = "status", .old_value = from, .new_value = to};
    if (rc >= 0)
        rc = audit_append(db, &ae);
    return rc < 0 ? fail(f, ERR_INTERNAL, NULL, "could not change the status: %s", db_errmsg(db)) : ERR_OK;
}

/* The ticket's category ("" when it has none) into out; false on a database error. */
static bool ticket_category(struct db *db, int64_t ticket_id, char out[ASSIST_LABEL_MAX + 1])
{
    struct db_stmt *st = db_query(db, "SELECT COALESCE(category, '') FROM tickets WHERE id = $1", "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    snprintf(out, ASSIST_LABEL_MAX + 1, "%s", rc == DB_ROW ? db_col_text(st, 0) : "");
    db_finalize(st);
    return rc >= 0;
}

static bool listed(json_t *categories, const char *category)
{
    size_t i;
    json_t *c;
    json_array_foreach(categories, i, c) {
        if (strcmp(json_string_value(c), category) == 0)
            return true;
    }
    return false;
}

/* Records that the category was eligible but the best answer too weak (or none). */
static enum err decline(struct db *db, int64_t ticket_id, const char *category, double confidence, double min,
                        struct failure *f)
{
    json_t *why = json_pack("{s:s, s:f}", "category", category, "min_confidence", min);
    int rc = db_begin(db);
    if (rc >= 0)
        rc = assist_decision_add(db, "auto_resolution", ticket_id, "declined", confidence, false, why, NULL);
    if (rc >= 0)
        rc = db_commit(db);
    json_decref(why);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not record the decision: %s", db_errmsg(db));
    }
    return ERR_OK;
}

/* Posts the automated answer, moves the ticket to pending and opens its resolution, in one
 * transaction; then message.created on bus. */
static enum err send_answer(struct db *db, struct bus *bus, int64_t ticket_id, const char *category,
                            const char *body, const struct assist_source *best, double min, int64_t timeout,
                            struct failure *f)
{
    json_t *why = json_pack("{s:s, s:o, s:s, s:f}", "body", body, "sources", assist_sources_json(best, 1),
                            "category", category, "min_confidence", min);
    int64_t mid = 0, did = 0, now = time_now();
    enum err e = ERR_OK;
    int rc = db_begin(db);
    if (rc >= 0)
        rc = assist_post_message(db, ticket_id, body, false, &mid);
    if (rc >= 0)
        rc = assist_decision_add(db, "auto_resolution", ticket_id, "answered", best->confidence, true, why, &did);
    if (rc >= 0 && !(e = assist_ticket_status(db, ticket_id, "pending", f)))
        rc = db_run(db,
                    "INSERT INTO ai_resolutions (ticket_id, decision_id, message_id, state, due_at, created_at)"
                    " VALUES ($1, $2, $3, 'pending', $4, $5)",
                    "iiiii", ticket_id, did, mid, now + timeout, now);
    if (rc >= 0 && !e && (rc = tickets_touch(db, ticket_id)) >= 0)
        rc = db_commit(db);
    json_decref(why);
    if (rc < 0 && !e)
        e = fail(f, ERR_INTERNAL, NULL, "could not send the automated answer: %s", db_errmsg(db));
    if (e)
        db_rollback(db);
    else
        assist_live_message(bus, db, mid);
    return e;
}

enum err assist_auto_resolve(struct assist *a, struct db *db, struct bus *bus, struct kb_index *ix,
                             int64_t ticket_id, bool *answered, struct failure *f)
{
    *answered = false;
    json_t *cfg = settings_get(db);
    char category[ASSIST_LABEL_MAX + 1] = "";
    bool on = cfg && json_is_true(json_object_get(cfg, "enabled"));
    if (!cfg || (on && !ticket_category(db, ticket_id, category))) { /* off: no second query */
        json_decref(cfg);
        return fail(f, ERR_INTERNAL, NULL, "could not read the auto-resolution settings: %s", db_errmsg(db));
    }
    bool eligible = on && *category && listed(json_object_get(cfg, "categories"), category);
    double min = json_number_value(json_object_get(cfg, "min_confidence"));
    int64_t timeout = json_integer_value(json_object_get(cfg, "timeout_seconds"));
    json_decref(cfg);
    if (!eligible)
        return ERR_OK;
    struct assist_gathered g;
    enum err e = assist_gather(a, db, ix, ticket_id, false, &g, f);
    const struct assist_source *best = g.n ? &g.src[0] : NULL;
    if (!e && (!best || best->confidence < min)) {
        e = decline(db, ticket_id, category, best ? best->confidence : 0, min, f);
    } else if (!e) {
        char *reply = assist_compose(&g, best->language, NULL, best->passages, best->title);
        struct strbuf sb;
        strbuf_init(&sb, 0);
        strbuf_addf(&sb, "%s\n\n---\n\n%s", reply, assist_reply_auto_notice(best->language));
        char *body = strbuf_take(&sb, NULL);
        e = send_answer(db, bus, ticket_id, category, body, best, min, timeout, f);
        *answered = !e;
        free(body);
        free(reply);
    }
    assist_gathered_free(&g);
    return e;
}
