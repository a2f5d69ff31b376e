/* /api/v1/ai: tone and language checks, feedback, interventions, metrics, models; a ticket's AI
 * decisions; the AI's admin lists; the triage of new tickets. */
#include <stdlib.h>
#include <string.h>

#include "ai/tone.h"
#include "api/ai_routes.h"
#include "api/input.h"
#include "app.h"
#include "assist/autoresolve.h"
#include "assist/config.h"
#include "assist/first_response.h"
#include "assist/learn.h"
#include "assist/reply.h"
#include "assist/rewrite.h"
#include "assist/triage.h"
#include "kb/kb.h"
#include "settings/settings.h"
#include "tickets/tickets.h"
#include "util/log.h"
#include "util/timeutil.h"

#define TONE_TEXT_MAX 200000
#define LANGUAGE_TEXT_MAX (1024 * 1024)

void api_ai_first_response(struct request *r, int64_t id)
{
    struct db *db = req_db(r);
    struct failure f;
    /* an automated answer replaces the first response */
    bool answered = false;
    if (assist_auto_resolve(r->app->assist, db, r->app->bus, r->app->kb->index, id, &answered, &f))
        log_error("ai: automated answer to ticket %lld: %s", (long long)id, f.message);
    if (!answered && assist_first_response(r->app->assist, db, r->app->bus, r->app->kb->index, id, &f))
        log_error("ai: first response to ticket %lld: %s", (long long)id, f.message);
}

enum err api_ai_tone(struct request *r)
{
    const char *text, *lang;
    bool rewrite = false, present;
    enum err e;
    if ((e = in_string(r, "text", true, TONE_TEXT_MAX, &text)) || (e = in_string(r, "language", false, 3, &lang)) ||
        (e = in_bool(r, "rewrite", &present, &rewrite)))
        return e;
    char detected[4];
    assist_language(r->app->assist, text, strlen(text), detected);
    if (!lang)
        lang = detected;
    struct tone_word *words;
    size_t nwords;
    assist_tone_words(req_db(r), &r->arena, &words, &nwords);
    struct tone_result *res = arena_alloc(&r->arena, sizeof *res);
    if (tone_check(text, strlen(text), lang, words, nwords, res) != 0)
        abort(); /* out of memory */
    json_t *findings = json_array();
    for (size_t i = 0; i < res->n; i++) {
        const struct tone_finding *t = &res->items[i];
        json_t *o = json_pack("{s:s, s:I, s:I, s:s}", "kind", tone_kind_name(t->kind), "start", (json_int_t)t->start,
                              "end", (json_int_t)t->end, "message", t->message);
        if (t->suggestion)
            json_object_set_new(o, "suggestion", json_string(t->suggestion));
        json_array_append_new(findings, o);
    }
    char *why = json_dumps(findings, JSON_COMPACT), score[8];
    snprintf(score, sizeof score, "%d", res->score);
    struct db_stmt *st = db_query(req_db(r),
                                  "INSERT INTO ai_decisions (kind, label, confidence, applied, why, created_at)"
                                  " VALUES ('tone', $1, 1, 0, $2, $3) RETURNING id",
                                  "tti", score, why, time_now());
    free(why);
    int rc = st ? db_step(st) : DB_ERROR;
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) {
        json_decref(findings);
        return req_fail(r, ERR_INTERNAL, NULL, "could not record the check");
    }
    json_t *out = json_pack("{s:I, s:o, s:i, s:s, s:o}", "id", (json_int_t)id, "findings", findings, "score",
                            res->score, "language", res->language, "detected_language",
                            *detected ? json_string(detected) : json_null());
    char *better, reason[256];
    if (rewrite && assist_tone_rewrite(req_db(r), r->app->secret_key, text, lang, res, words, nwords, &better, reason,
                                       sizeof reason)) {
        json_object_set_new(out, "rewrite", json_string(better));
        free(better);
    } else if (rewrite) {
        json_object_set_new(out, "rewrite", json_null());
        json_object_set_new(out, "rewrite_error", json_string(reason));
    }
    return req_json(r, 200, out);
}

enum err api_ai_language(struct request *r)
{
    const char *text;
    enum err e = in_string(r, "text", false, LANGUAGE_TEXT_MAX, &text);
    if (e)
        return e;
    if (!text)
        return req_fail(r, ERR_VALIDATION, "text", "text is required");
    char code[4];
    assist_language(r->app->assist, text, strlen(text), code);
    return req_json(r, 200, json_pack("{s:o}", "language", *code ? json_string(code) : json_null()));
}

enum err api_ai_feedback(struct request *r)
{
    const char *outcome, *final_text;
    int64_t id, rating = 0;
    bool present;
    enum err e;
    if ((e = in_int(r, "suggestion_id", 1, INT64_MAX, &present, &id)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "suggestion_id", "suggestion_id is required");
    if ((e = in_string(r, "outcome", true, 16, &outcome)) ||
        (e = in_string(r, "final_text", false, ASSIST_FINAL_TEXT_MAX, &final_text)) ||
        (e = in_int(r, "rating", 1, 5, &present, &rating)))
        return e;
    struct failure f;
    json_t *out;
    if ((e = assist_feedback(req_db(r), r->me->user_id, id, outcome, final_text, (int)rating, &out, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, out);
}

enum err api_ai_interventions(struct request *r)
{
    int limit;
    int64_t cursor, ticket_id = 0;
    enum err e = in_page(r, &limit, &cursor);
    if (e)
        return e;
    const char *t = req_query(r, "ticket_id");
    if (t) {
        char *end;
        ticket_id = strtoll(t, &end, 10);
        if (*end || ticket_id <= 0)
            return req_fail(r, ERR_BAD_REQUEST, "ticket_id", "ticket_id must be an id");
    }
    json_t *items = assist_interventions(req_db(r), ticket_id, cursor, limit);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not read the interventions");
    return out_page(r, items, limit);
}

enum err api_ai_metrics(struct request *r)
{
    const char *d = req_query(r, "days");
    char *end = NULL;
    long days = d ? strtol(d, &end, 10) : 30;
    if (d && (*end || days < 1 || days > 365))
        return req_fail(r, ERR_BAD_REQUEST, "days", "days must be a whole number from 1 to 365");
    json_t *out = assist_metrics(req_db(r), (int)days);
    if (!out)
        return req_fail(r, ERR_INTERNAL, NULL, "could not compute the metrics");
    return req_json(r, 200, out);
}

enum err api_ai_models(struct request *r)
{
    json_t *items = assist_models_list(req_db(r));
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list the models");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_ai_visible_ticket(struct request *r, int64_t *id)
{
    enum err e = in_path_id(r, 0, id);
    if (e)
        return e;
    if ((e = tickets_access(req_db(r), r->me, *id, NULL)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    return ERR_OK;
}

enum err api_ai_ticket(struct request *r)
{
    int64_t id;
    enum err e;
    if ((e = api_ai_visible_ticket(r, &id)))
        return e;
    json_t *out = assist_ticket_view(req_db(r), id, &e);
    if (!out)
        return req_fail(r, e, NULL, "could not read the AI's decisions");
    return req_json(r, 200, out);
}

enum err api_ai_suggestions(struct request *r)
{
    int64_t id;
    enum err e;
    if ((e = api_ai_visible_ticket(r, &id)))
        return e;
    struct failure f;
    json_t *out;
    if ((e = assist_suggest(r->app->assist, req_db(r), r->app->kb->index, r->app->secret_key, id, r->me->name, &out, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 200, out);
}

enum err api_ai_ticket_label(struct request *r)
{
    int64_t id;
    const char *kind, *label;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_string(r, "kind", true, 16, &kind)) ||
        (e = in_string(r, "label", true, ASSIST_LABEL_MAX, &label)))
        return e;
    enum assist_kind k;
    if (!assist_kind_parse(kind, &k))
        return req_fail(r, ERR_VALIDATION, "kind", "kind must be one of category, priority, sentiment");
    if ((e = tickets_access(req_db(r), r->me, id, NULL)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    struct failure f;
    if ((e = assist_set_label(r->app->assist, req_db(r), r->me, r->client_ip, id, k, label, &f)))
        return req_failure(r, e, &f);
    return api_ai_ticket(r);
}

enum err api_ai_config_get(struct request *r)
{
    json_t *out = assist_config_get(req_db(r));
    if (!out)
        return req_fail(r, ERR_INTERNAL, NULL, "could not read the AI settings");
    return req_json(r, 200, out);
}

enum err api_ai_config_put(struct request *r)
{
    struct failure f;
    enum err e = assist_config_put(req_db(r), r->app->secret_key, r->json, r->me->user_id, r->client_ip, &f);
    if (e)
        return req_failure(r, e, &f);
    return api_ai_config_get(r);
}
