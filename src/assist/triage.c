#include "assist/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assist/learn.h"
#include "audit/audit.h"
#include "tickets/tickets.h"
#include "tickets/workflow.h"
#include "util/timeutil.h"

static const char *const column[ASSIST__KINDS] = {"category", "priority", "sentiment"};

/* One decision as it is stored. */
struct decision {
    const char *kind;
    const char *label;          /* NULL: no model */
    double confidence;
    bool abstained, applied;
    char *why;                  /* JSON text, owned */
    int64_t version;
};

static char *why_json(const struct assist_pred *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nwhy; i++)
        json_array_append_new(a, json_pack("{s:s, s:f}", "word", p->why[i].word, "weight", (double)p->why[i].weight));
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    if (!s)
        abort();
    return s;
}

static int store_decision(struct db *db, int64_t ticket_id, const struct decision *d, int64_t micros)
{
    return db_run(db,
                  "INSERT INTO ai_decisions (kind, ticket_id, label, confidence, abstained, applied, why, model_version,"
                  " micros, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  "titdiitiii", d->kind, ticket_id, d->label, d->confidence, (int64_t)d->abstained,
                  (int64_t)d->applied, d->why ? d->why : "[]", d->version, micros, time_now());
}

static int audit_ai(struct db *db, int64_t ticket_id, const char *field, const char *old_value, const char *value)
{
    struct audit_entry e = {.actor_kind = "ai", .action = "ticket.update", .target_type = "ticket",
                            .target_id = ticket_id, .field = field, .old_value = old_value, .new_value = value};
    return audit_append(db, &e);
}

/* Writes one field the AI decided and audits it. */
static int set_field(struct db *db, int64_t ticket_id, const char *col, const char *old_value, const char *value)
{
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE tickets SET %s = $1 WHERE id = $2", col);
    int rc = db_run(db, sql, "ti", value, ticket_id);
    return rc < 0 ? rc : audit_ai(db, ticket_id, col, old_value, value);
}

int64_t assist_category_team(struct db *db, const char *category)
{
    struct db_stmt *st = db_query(db, "SELECT team_id FROM ai_category_teams WHERE category = $1", "t", category);
    int64_t team = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    return team;
}

static int write_triage(struct db *db, const struct assist_triage_in *in, const char *lang,
                        struct decision *d, int64_t micros)
{
    int64_t id = in->ticket_id;
    int rc = DB_DONE;
    struct failure ignored;
    if (*lang && in->language_stored)
        rc = audit_ai(db, id, "language", NULL, lang);
    else if (*lang) {
        rc = set_field(db, id, "language", NULL, lang);
        if (rc >= 0)
            rc = db_run(db, "UPDATE messages SET language = $1 WHERE ticket_id = $2 AND language IS NULL", "ti", lang, id);
    }
    struct decision ld = {.kind = "language", .label = *lang ? lang : NULL, .confidence = 1, .applied = *lang != 0};
    if (rc >= 0)
        rc = store_decision(db, id, &ld, micros);
    struct decision *cat = &d[ASSIST_CATEGORY], *pri = &d[ASSIST_PRIORITY], *sen = &d[ASSIST_SENTIMENT];
    cat->applied = cat->label && !cat->abstained;
    sen->applied = sen->label && !sen->abstained;
    pri->applied = pri->label && !pri->abstained && !in->priority_given &&
                   workflow_check_priority(db, pri->label, &ignored) == ERR_OK;
    if (rc >= 0 && pri->label)
        rc = db_run(db, "UPDATE tickets SET ai_priority = $1 WHERE id = $2", "ti", pri->label, id);
    if (rc >= 0 && pri->applied && strcmp(pri->label, "normal") != 0)
        rc = set_field(db, id, "priority", "normal", pri->label);
    for (int k = 0; k < ASSIST__KINDS && rc >= 0; k++)
        if (d[k].applied && k != ASSIST_PRIORITY)
            rc = set_field(db, id, column[k], NULL, d[k].label);
    for (int k = 0; k < ASSIST__KINDS && rc >= 0; k++)
        if (d[k].label)
            rc = store_decision(db, id, &d[k], micros);
    int64_t team = rc >= 0 && in->auto_routing && cat->applied ? assist_category_team(db, cat->label) : 0;
    if (team) {
        char team_text[24];
        snprintf(team_text, sizeof team_text, "%lld", (long long)team);
        struct decision td = {.kind = "team", .label = team_text, .confidence = cat->confidence, .applied = true};
        rc = db_run(db, "UPDATE tickets SET team_id = $1 WHERE id = $2 AND team_id IS NULL", "ii", team, id);
        if (rc >= 0)
            rc = audit_ai(db, id, "team_id", NULL, team_text);
        if (rc >= 0)
            rc = store_decision(db, id, &td, micros);
    }
    return rc;
}

/* What the AI decided about a new ticket, not yet written. */
struct assist_verdict {
    char lang[4];
    struct assist_pred p[ASSIST__KINDS];    /* the labels of d point into these */
    struct decision d[ASSIST__KINDS];
    int64_t micros;
};

struct assist_verdict *assist_triage_decide(struct assist *a, const char *subject, const char *body)
{
    struct assist_verdict *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    int64_t t0 = time_mono_us();
    char *text = assist_ticket_text(subject, body);
    size_t len = strlen(text);
    struct assist_pred *p = v->p;
    assist_language(a, text, len, v->lang);
    for (int k = 0; k < ASSIST__KINDS; k++) {
        assist_predict(a, (enum assist_kind)k, text, len, &p[k]);
        v->d[k].kind = assist_kind_name((enum assist_kind)k);
        if (!p[k].has_model)
            continue;
        v->d[k] = (struct decision){.kind = v->d[k].kind, .label = p[k].label, .confidence = p[k].confidence,
                                    .abstained = p[k].abstain, .why = why_json(&p[k]), .version = p[k].version};
    }
    v->micros = time_mono_us() - t0;
    free(text);
    return v;
}

void assist_verdict_free(struct assist_verdict *v)
{
    if (!v)
        return;
    for (int k = 0; k < ASSIST__KINDS; k++)
        free(v->d[k].why);
    free(v);
}

const char *assist_verdict_language(const struct assist_verdict *v)
{
    return v && *v->lang ? v->lang : NULL;
}

enum err assist_triage_write(struct db *db, const struct assist_triage_in *in, struct assist_verdict *v,
                             struct failure *f)
{
    int rc = db_begin(db);
    if (rc >= 0)
        rc = write_triage(db, in, v->lang, v->d, v->micros);
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not save the triage: %s", db_errmsg(db));
    }
    return ERR_OK;
}

static json_t *decision_json(struct db_stmt *st)
{
    json_t *why = json_loads(db_col_text(st, 5), 0, NULL);
    bool abstained = db_col_int(st, 3) != 0, has_label = !db_col_null(st, 1);
    return json_pack("{s:I, s:o, s:f, s:b, s:b, s:b, s:o, s:o}", "id", (json_int_t)db_col_int(st, 7), "label",
                     has_label ? json_string(db_col_text(st, 1)) : json_null(), "confidence", db_col_double(st, 2),
                     "abstained", abstained, "needs_person", abstained || !has_label, "applied",
                     db_col_int(st, 4) != 0, "why", why ? why : json_array(), "model_version",
                     db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)));
}

json_t *assist_ticket_view(struct db *db, int64_t ticket_id, enum err *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT kind, label, confidence, abstained, applied, why, model_version, id, micros"
                                  " FROM ai_decisions WHERE ticket_id = $1 AND kind <> 'tone' ORDER BY id",
                                  "i", ticket_id);
    if (!st) {
        *e = ERR_INTERNAL;
        return NULL;
    }
    json_t *out = json_pack("{s:I, s:n, s:n, s:n, s:n, s:n, s:n}", "ticket_id", (json_int_t)ticket_id, "language",
                            "category", "priority", "sentiment", "team", "micros");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *kind = db_col_text(st, 0);
        if (strcmp(kind, "language") == 0)
            json_object_set_new(out, "language", db_col_null(st, 1) ? json_null() : json_string(db_col_text(st, 1)));
        else
            json_object_set_new(out, kind, decision_json(st));
        json_object_set_new(out, "micros", json_integer(db_col_int(st, 8)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        *e = ERR_INTERNAL;
        return NULL;
    }
    *e = ERR_OK;
    return out;
}

enum err assist_set_label(struct assist *a, struct db *db, const struct principal *me, const char *ip,
                          int64_t ticket_id, enum assist_kind k, const char *label, struct failure *f)
{
    if (!label || !*label || strlen(label) > ASSIST_LABEL_MAX)
        return fail(f, ERR_VALIDATION, "label", "label must be a text of 1 to %d bytes", ASSIST_LABEL_MAX);
    enum err e = ERR_OK;
    if (k == ASSIST_PRIORITY) {
        struct ticket_patch p = {.priority = label};
        e = tickets_update(db, me, ip, ticket_id, &p, NULL, f);
    } else {
        char sql[96], *old = NULL;
        snprintf(sql, sizeof sql, "SELECT %s FROM tickets WHERE id = $1", column[k]);
        struct db_stmt *st = db_query(db, sql, "i", ticket_id);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW && !db_col_null(st, 0) && !(old = strdup(db_col_text(st, 0))))
            abort();
        db_finalize(st);
        if (rc == DB_DONE)
            return fail(f, ERR_NOT_FOUND, NULL, "no such ticket");
        bool same = old && strcmp(old, label) == 0;
        if (rc >= 0 && !same && (rc = db_begin(db)) >= 0) {
            snprintf(sql, sizeof sql, "UPDATE tickets SET %s = $1 WHERE id = $2", column[k]);
            struct audit_entry ae = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.update",
                                     .target_type = "ticket", .target_id = ticket_id, .field = column[k],
                                     .old_value = old, .new_value = label, .ip = ip};
            if ((rc = db_run(db, sql, "ti", label, ticket_id)) >= 0 && (rc = audit_append(db, &ae)) >= 0 &&
                (rc = tickets_touch(db, ticket_id)) >= 0)
                rc = db_commit(db);
            if (rc < 0)
                db_rollback(db);
        }
        free(old);
        if (rc < 0)
            e = fail(f, ERR_INTERNAL, NULL, "could not save the label: %s", db_errmsg(db));
    }
    if (!e)
        assist_scan_overrides(a, db);
    return e;
}
