#include "assist/learn.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/log.h"
#include "util/timeutil.h"

#define SCAN_BATCH 200
#define DAY 86400

/* A label a person set, read from the audit log. */
struct change {
    int64_t audit_id, ticket_id, user_id, at;
    enum assist_kind kind;
    char label[ASSIST_LABEL_MAX + 1];
};

/* What to teach the models once the scan's transaction is committed. */
struct lesson {
    enum assist_kind kind;
    char *text;
    char label[ASSIST_LABEL_MAX + 1];
};

static int read_cursor(struct db *db, int64_t *cursor, int64_t *newest)
{
    struct db_stmt *st = db_query(db, "SELECT value FROM ai_state WHERE key = 'override_scan'", NULL);
    int rc = st ? db_step(st) : DB_ERROR;
    *cursor = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (rc < 0)
        return rc;
    st = db_query(db,
                  db->kind == DB_POSTGRES ? "SELECT COALESCE(MAX(chain_seq), 0) FROM audit_log"
                                          : "SELECT COALESCE(MAX(id), 0) FROM audit_log",
                  NULL);
    rc = st ? db_step(st) : DB_ERROR;
    *newest = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    return rc < 0 ? rc : DB_DONE;
}

/* Reads up to SCAN_BATCH audit rows after `after` in the order they committed (SQLite: their
 * ids; PostgreSQL: their place in the chain, as ids there are not given in commit order); the
 * usable ones go to ch[0..*n), the place of the last row read to *last (0 when none) and the
 * number of rows read to *rows. */
static int read_changes(struct db *db, int64_t after, int64_t upto, struct change *ch, size_t *n, int64_t *last,
                        size_t *rows)
{
    struct db_stmt *st = db_query(
        db,
        db->kind == DB_POSTGRES
            ? "SELECT chain_seq, target_id, field, new_value, actor_id, at, id FROM audit_log WHERE chain_seq > $1"
              " AND chain_seq <= $2 AND action = 'ticket.update' AND actor_kind = 'user'"
              " AND field IN ('category', 'priority', 'sentiment') ORDER BY chain_seq LIMIT $3"
            : "SELECT id, target_id, field, new_value, actor_id, at, id FROM audit_log WHERE id > $1"
              " AND id <= $2 AND action = 'ticket.update' AND actor_kind = 'user'"
              " AND field IN ('category', 'priority', 'sentiment') ORDER BY id LIMIT $3",
        "iii", after, upto, (int64_t)SCAN_BATCH);
    int rc = st ? DB_ROW : DB_ERROR;
    *n = *rows = 0;
    *last = 0;
    while (st && (rc = db_step(st)) == DB_ROW) {
        struct change *c = &ch[*n];
        const char *label = db_col_text(st, 3);
        *last = db_col_int(st, 0);
        (*rows)++;
        if (!label || !*label || strlen(label) > ASSIST_LABEL_MAX || !assist_kind_parse(db_col_text(st, 2), &c->kind))
            continue;
        c->audit_id = db_col_int(st, 6);
        c->ticket_id = db_col_int(st, 1);
        c->user_id = db_col_int(st, 4);
        c->at = db_col_int(st, 5);
        strcpy(c->label, label);
        (*n)++;
    }
    db_finalize(st);
    return rc;
}

/* The ticket's text as the classifiers saw it at creation (subject and first message). */
static char *ticket_text(struct db *db, int64_t ticket_id)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT t.subject, (SELECT body FROM messages m WHERE m.ticket_id = t.id ORDER BY id"
                                  " LIMIT 1) FROM tickets t WHERE t.id = $1",
                                  "i", ticket_id);
    char *text = NULL;
    if (st && db_step(st) == DB_ROW)
        text = assist_ticket_text(db_col_text(st, 0), db_col_null(st, 1) ? "" : db_col_text(st, 1));
    db_finalize(st);
    return text;
}

/* Records one change: an example, and an intervention when the AI had decided the field. */
static int record(struct db *db, const struct change *c, struct lesson *lesson, bool *learn)
{
    *learn = false;
    char *text = ticket_text(db, c->ticket_id);
    if (!text)
        return DB_DONE; /* the ticket is gone (merged, deleted): nothing to learn */
    const char *kind = assist_kind_name(c->kind);
    int rc = db_run(db,
                    "INSERT INTO ai_examples (kind, text, label, source, ticket_id, created_at)"
                    " VALUES ($1, $2, $3, 'agent', $4, $5)",
                    "tttii", kind, text, c->label, c->ticket_id, c->at);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db,
                                           "SELECT id, label, applied FROM ai_decisions WHERE ticket_id = $1 AND kind = $2"
                                           " ORDER BY id DESC LIMIT 1",
                                           "it", c->ticket_id, kind);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW && !db_col_null(st, 1)) {
        int64_t decision = db_col_int(st, 0);
        char ai_label[ASSIST_LABEL_MAX + 1];
        snprintf(ai_label, sizeof ai_label, "%s", db_col_text(st, 1));
        db_finalize(st);
        st = NULL;
        rc = db_run(db,
                    "INSERT INTO ai_interventions (decision_id, ticket_id, kind, ai_label, human_label, user_id, audit_id,"
                    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (audit_id) DO NOTHING",
                    "iitttiii", decision, c->ticket_id, kind, ai_label, c->label, c->user_id, c->audit_id, c->at);
        *learn = rc >= 0 && strcmp(ai_label, c->label) != 0;
    }
    db_finalize(st);
    if (*learn) {
        lesson->kind = c->kind;
        lesson->text = text;
        snprintf(lesson->label, sizeof lesson->label, "%s", c->label);
    } else {
        free(text);
    }
    return rc < 0 ? rc : DB_DONE;
}

void assist_scan_overrides(struct assist *a, struct db *db)
{
    struct change ch[SCAN_BATCH];
    struct lesson lessons[SCAN_BATCH];
    size_t n = 0, nlessons = 0, rows = 0;
    int64_t cursor, newest, last = 0, linked;
    /* PostgreSQL: the overrides committed so far are read once linked into the audit chain */
    int rc = db->kind == DB_POSTGRES ? audit_chain(db, &linked) : DB_DONE;
    if (rc >= 0)
        rc = db_begin(db);
    if (rc >= 0)
        rc = db_lock(db, DB_LOCK_AI);
    if (rc >= 0)
        rc = read_cursor(db, &cursor, &newest);
    if (rc >= 0 && newest > cursor)
        rc = read_changes(db, cursor, newest, ch, &n, &last, &rows);
    if (rc < 0 || newest <= cursor) {
        db_rollback(db);
        if (rc < 0)
            log_error("ai: reading overrides: %s", db_errmsg(db));
        return;
    }
    for (size_t i = 0; i < n && rc >= 0; i++) {
        bool learn;
        rc = record(db, &ch[i], &lessons[nlessons], &learn);
        nlessons += learn;
    }
    /* a full batch may have left entries behind: continue after the last one next time */
    int64_t upto = rows == SCAN_BATCH ? last : newest;
    if (rc >= 0)
        rc = db_run(db,
                    "INSERT INTO ai_state (key, value) VALUES ('override_scan', $1)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    "i", upto);
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        log_error("ai: recording overrides: %s", db_errmsg(db));
        db_rollback(db);
    }
    for (size_t i = 0; i < nlessons; i++) {
        if (rc >= 0)
            assist_learn(a, lessons[i].kind, lessons[i].text, strlen(lessons[i].text), lessons[i].label);
        free(lessons[i].text);
    }
}

enum err assist_feedback(struct db *db, int64_t user_id, int64_t decision_id, const char *outcome,
                         const char *final_text, int rating, json_t **out, struct failure *f)
{
    if (!outcome || (strcmp(outcome, "sent") && strcmp(outcome, "edited") && strcmp(outcome, "discarded")))
        return fail(f, ERR_VALIDATION, "outcome", "outcome must be one of sent, edited, discarded");
    if (rating && (rating < 1 || rating > 5))
        return fail(f, ERR_VALIDATION, "rating", "rating must be a whole number from 1 to 5");
    struct db_stmt *st = db_query(db, "SELECT 1 FROM ai_decisions WHERE id = $1", "i", decision_id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    if (rc == DB_DONE)
        return fail(f, ERR_NOT_FOUND, "suggestion_id", "no such suggestion");
    int64_t now = time_now();
    static const char sql[] = "INSERT INTO ai_feedback (decision_id, user_id, outcome, final_text, rating, created_at)"
                              " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    if (rc >= 0)
        st = rating ? db_query(db, sql, "iittii", decision_id, user_id, outcome, final_text, (int64_t)rating, now)
                    : db_query(db, sql, "iittni", decision_id, user_id, outcome, final_text, now);
    rc = st ? db_step(st) : DB_ERROR;
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW)
        return fail(f, ERR_INTERNAL, NULL, "could not save the feedback: %s", db_errmsg(db));
    char at[21];
    *out = json_pack("{s:I, s:I, s:s, s:o, s:o, s:s}", "id", (json_int_t)id, "suggestion_id", (json_int_t)decision_id,
                     "outcome", outcome, "final_text", final_text ? json_string(final_text) : json_null(), "rating",
                     rating ? json_integer(rating) : json_null(), "created_at", time_format(now, at));
    return ERR_OK;
}

json_t *assist_interventions(struct db *db, int64_t ticket_id, int64_t before_id, int limit)
{
    struct db_args args = {0};
    char sql[512], ticket_filter[32] = "";
    int lim = db_arg_int(&args, limit);
    int before = db_arg_int(&args, before_id ? before_id : INT64_MAX);
    if (ticket_id)
        snprintf(ticket_filter, sizeof ticket_filter, " AND i.ticket_id = $%d", db_arg_int(&args, ticket_id));
    snprintf(sql, sizeof sql,
             "SELECT i.id, i.ticket_id, i.kind, i.decision_id, i.ai_label, i.human_label, i.user_id, i.created_at,"
             " d.applied, d.confidence FROM ai_interventions i JOIN ai_decisions d ON d.id = i.decision_id"
             " WHERE i.id < $%d%s ORDER BY i.id DESC LIMIT $%d",
             before, ticket_filter, lim);
    struct db_stmt *st = db_query_args(db, sql, &args);
    if (!st)
        return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[21];
        const char *ai = db_col_text(st, 4), *human = db_col_text(st, 5);
        bool applied = db_col_int(st, 8) != 0, agreed = ai && strcmp(ai, human) == 0;
        json_array_append_new(
            items, json_pack("{s:I, s:I, s:s, s:I, s:o, s:s, s:o, s:b, s:b, s:f, s:s}", "id",
                             (json_int_t)db_col_int(st, 0), "ticket_id", (json_int_t)db_col_int(st, 1), "kind",
                             db_col_text(st, 2), "decision_id", (json_int_t)db_col_int(st, 3), "ai_label",
                             ai ? json_string(ai) : json_null(), "human_label", human, "user_id",
                             db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)), "ai_applied",
                             applied, "overrode", applied && !agreed, "ai_confidence", db_col_double(st, 9), "at",
                             time_format(db_col_int(st, 7), at)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* One day's figures while they are gathered. */
struct day {
    int64_t sent, edited, discarded;
    int64_t reviewed[ASSIST__KINDS], agreed[ASSIST__KINDS];
    int64_t decisions, abstained, applied;
    int64_t answered, confirmed, timed_out, reopened, pending; /* automated answers given that day */
};

static void add_outcome(struct day *d, const char *outcome, int64_t n)
{
    if (strcmp(outcome, "sent") == 0)
        d->sent += n;
    else if (strcmp(outcome, "edited") == 0)
        d->edited += n;
    else
        d->discarded += n;
}

/* Counts n automated answers in state with outcome (NULL while pending). */
static void add_resolution(struct day *d, const char *state, const char *outcome, int64_t n)
{
    d->answered += n;
    if (strcmp(state, "pending") == 0)
        d->pending += n;
    else if (strcmp(state, "reopened") == 0)
        d->reopened += n;
    else if (outcome && strcmp(outcome, "confirmed") == 0)
        d->confirmed += n;
    else if (outcome && strcmp(outcome, "timeout") == 0)
        d->timed_out += n;
}

/* Adds the figures of from to to. */
static void day_add(struct day *to, const struct day *from)
{
    to->sent += from->sent;
    to->edited += from->edited;
    to->discarded += from->discarded;
    for (int k = 0; k < ASSIST__KINDS; k++) {
        to->reviewed[k] += from->reviewed[k];
        to->agreed[k] += from->agreed[k];
    }
    to->decisions += from->decisions;
    to->abstained += from->abstained;
    to->applied += from->applied;
    to->answered += from->answered;
    to->confirmed += from->confirmed;
    to->timed_out += from->timed_out;
    to->reopened += from->reopened;
    to->pending += from->pending;
}

static json_t *rate(int64_t part, int64_t whole)
{
    return whole ? json_real((double)part / (double)whole) : json_null();
}

static json_t *day_json(const struct day *d, int64_t day_number)
{
    char date[21];
    time_format(day_number * DAY, date);
    date[10] = 0;
    int64_t total = d->sent + d->edited + d->discarded, reviewed = 0, agreed = 0;
    int64_t resolved = d->confirmed + d->timed_out;
    json_t *by_kind = json_object();
    for (int k = 0; k < ASSIST__KINDS; k++) {
        reviewed += d->reviewed[k];
        agreed += d->agreed[k];
        json_object_set_new(by_kind, assist_kind_name((enum assist_kind)k),
                            json_pack("{s:I, s:I, s:o}", "reviewed", (json_int_t)d->reviewed[k], "agreed",
                                      (json_int_t)d->agreed[k], "accuracy", rate(d->agreed[k], d->reviewed[k])));
    }
    return json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:o, s:o, s:o}, s:{s:I, s:I, s:o, s:o},"
                     " s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}}",
                     "date", date,
                     "suggestions", "total", (json_int_t)total, "sent", (json_int_t)d->sent, "edited",
                     (json_int_t)d->edited, "discarded", (json_int_t)d->discarded, "acceptance_rate",
                     rate(d->sent, total), "edit_rate", rate(d->edited, total), "discard_rate",
                     rate(d->discarded, total),
                     "corrections", "reviewed", (json_int_t)reviewed, "agreed", (json_int_t)agreed, "accuracy",
                     rate(agreed, reviewed), "by_kind", by_kind,
                     "triage", "decisions", (json_int_t)d->decisions, "abstained", (json_int_t)d->abstained,
                     "applied", (json_int_t)d->applied,
                     "auto_resolution", "answered", (json_int_t)d->answered, "confirmed", (json_int_t)d->confirmed,
                     "timed_out", (json_int_t)d->timed_out, "resolved", (json_int_t)resolved, "reopened",
                     (json_int_t)d->reopened, "pending", (json_int_t)d->pending, "resolution_rate",
                     rate(resolved, d->answered), "reopen_rate", rate(d->reopened, d->answered));
}

/* What a row of a metrics query adds to its day: feedback (outcome, count). */
static void add_feedback_row(struct day *d, struct db_stmt *st)
{
    add_outcome(d, db_col_text(st, 1), db_col_int(st, 2));
}

/* Corrections: (kind, reviewed, agreed). */
static void add_correction_row(struct day *d, struct db_stmt *st)
{
    enum assist_kind k;
    if (!assist_kind_parse(db_col_text(st, 1), &k))
        return;
    d->reviewed[k] += db_col_int(st, 2);
    d->agreed[k] += db_col_int(st, 3);
}

/* Triage: (decisions, abstained, applied). */
static void add_triage_row(struct day *d, struct db_stmt *st)
{
    d->decisions += db_col_int(st, 1);
    d->abstained += db_col_int(st, 2);
    d->applied += db_col_int(st, 3);
}

/* Automated answers: (state, outcome, count). */
static void add_resolution_row(struct day *d, struct db_stmt *st)
{
    add_resolution(d, db_col_text(st, 1), db_col_null(st, 2) ? NULL : db_col_text(st, 2), db_col_int(st, 3));
}

/* The metrics' queries: column 0 is the UTC day number, $1 the first second counted. */
static const struct reader {
    const char *sql;
    void (*add)(struct day *d, struct db_stmt *st);
} READERS[] = {
    {"SELECT created_at / 86400, outcome, COUNT(*) FROM ai_feedback WHERE created_at >= $1 GROUP BY 1, 2",
     add_feedback_row},
    {"SELECT i.created_at / 86400, i.kind, COUNT(*), SUM(CASE WHEN i.ai_label = i.human_label THEN 1 ELSE 0 END)"
     " FROM ai_interventions i JOIN ai_decisions d ON d.id = i.decision_id WHERE i.created_at >= $1"
     " AND d.abstained = 0 GROUP BY 1, 2",
     add_correction_row},
    {"SELECT created_at / 86400, COUNT(*), SUM(abstained), SUM(applied) FROM ai_decisions WHERE created_at >= $1"
     " AND kind IN ('category', 'priority', 'sentiment') GROUP BY 1",
     add_triage_row},
    {"SELECT created_at / 86400, state, outcome, COUNT(*) FROM ai_resolutions WHERE created_at >= $1 GROUP BY 1, 2, 3",
     add_resolution_row},
};

json_t *assist_metrics(struct db *db, int days)
{
    int64_t today = time_now() / DAY, first = today - days + 1;
    struct day *d = calloc((size_t)days + 1, sizeof *d); /* [days] is the total, summed at the end */
    if (!d)
        abort();
    int rc = DB_DONE;
    for (size_t q = 0; q < sizeof READERS / sizeof *READERS && rc >= 0; q++) {
        struct db_stmt *st = db_query(db, READERS[q].sql, "i", first * DAY);
        rc = st ? DB_DONE : DB_ERROR;
        while (st && (rc = db_step(st)) == DB_ROW) {
            int64_t i = db_col_int(st, 0) - first;
            if (i >= 0 && i < days)
                READERS[q].add(&d[i], st);
        }
        db_finalize(st);
    }
    json_t *out = NULL;
    if (rc >= 0) {
        json_t *list = json_array();
        for (int i = 0; i < days; i++) {
            json_array_append_new(list, day_json(&d[i], first + i));
            day_add(&d[days], &d[i]);
        }
        json_t *totals = day_json(&d[days], today);
        json_object_del(totals, "date");
        out = json_pack("{s:o, s:o}", "days", list, "totals", totals);
    }
    free(d);
    return out;
}
