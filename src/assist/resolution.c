/* What follows an automated answer (assist/autoresolve.h): the customer's confirmation or "did
 * not help", a reply from them (assist/confirm.h tells thanks from the rest), the timeout, and the
 * view of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assist/autoresolve.h"
#include "assist/confirm.h"
#include "assist/live.h"
#include "assist/reply.h"
#include "assist/triage.h"
#include "audit/audit.h"
#include "tickets/tickets.h"
#include "util/log.h"
#include "util/timeutil.h"

#define TICK_BATCH 100
#define REPLIES_READ 10 /* replies to an automated answer read to tell thanks; more is not just thanks */

/* A public message by the requester after the automated answer. */
#define REPLIED                                                                                       \
    "EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = r.ticket_id AND m.id > r.message_id"       \
    " AND m.internal = 0 AND m.author_id = t.requester_id)"
#define PENDING_SELECT                                                                                \
    "SELECT r.id, r.ticket_id, r.decision_id, t.requester_id, t.status, COALESCE(t.category, ''),"   \
    " COALESCE(t.team_id, 0), " REPLIED ", r.message_id"                                             \
    " FROM ai_resolutions r JOIN tickets t ON t.id = r.ticket_id WHERE r.state = 'pending'"

/* Replied to, or past its timeout ($1 is now). */
#define DUE " AND (r.due_at <= $1 OR " REPLIED ")"

/* A pending resolution and the ticket it is on. */
struct pending {
    int64_t id, ticket_id, decision_id, requester_id, team_id, message_id;
    char status[48], category[ASSIST_LABEL_MAX + 1];
    bool replied;
    bool closed;                /* closed by this writer: its changes are published after the commit */
    int64_t note_id;            /* the AI's note for the agents when it was reopened, else 0 */
};

static void read_pending(struct db_stmt *st, struct pending *p)
{
    p->id = db_col_int(st, 0);
    p->ticket_id = db_col_int(st, 1);
    p->decision_id = db_col_int(st, 2);
    p->requester_id = db_col_int(st, 3);
    snprintf(p->status, sizeof p->status, "%s", db_col_text(st, 4));
    snprintf(p->category, sizeof p->category, "%s", db_col_text(st, 5));
    p->team_id = db_col_int(st, 6);
    p->replied = db_col_int(st, 7) != 0;
    p->message_id = db_col_int(st, 8);
    p->closed = false;
    p->note_id = 0;
}

/* True when every public reply of the requester after the automated answer only thanks or
 * confirms (assist_reply_confirms); false when one does not, or on a database error. */
static bool replies_confirm(struct db *db, const struct pending *p)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT body FROM messages WHERE ticket_id = $1 AND id > $2 AND internal = 0"
                                  " AND author_id = $3 ORDER BY id LIMIT $4",
                                  "iiii", p->ticket_id, p->message_id, p->requester_id, (int64_t)REPLIES_READ);
    size_t n = 0;
    bool all = st != NULL;
    while (all && db_step(st) == DB_ROW)
        all = ++n < REPLIES_READ && assist_reply_confirms(db_col_text(st, 0));
    db_finalize(st);
    return all && n > 0;
}

/* Publishes what closing p changed (the AI's note, the ticket) once it is committed. */
static void publish_closed(struct db *db, struct bus *bus, const struct pending *p)
{
    if (p->note_id)
        assist_live_message(bus, db, p->note_id);
    assist_live_ticket(bus, db, p->ticket_id);
}

/* Marks the resolution closed in state with outcome (NULL for none) unless another writer closed
 * it first: DB_ROW when this one did, DB_DONE when it was no longer pending. */
static int claim(struct db *db, int64_t id, const char *state, const char *outcome)
{
    struct db_stmt *st = db_query(db,
                                  "UPDATE ai_resolutions SET state = $1, outcome = $2, closed_at = $3"
                                  " WHERE id = $4 AND state = 'pending' RETURNING id",
                                  "ttii", state, outcome, time_now(), id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    return rc;
}

/* Audits the outcome as its actor; the entry's id into *audit_id. */
static int audit_outcome(struct db *db, const struct pending *p, const char *outcome, const char *actor_kind,
                         int64_t actor_id, const char *ip, int64_t *audit_id)
{
    struct audit_entry ae = {.actor_kind = actor_kind, .actor_id = actor_id, .action = "ticket.auto_resolution",
                             .target_type = "ticket", .target_id = p->ticket_id, .field = "outcome",
                             .old_value = "pending", .new_value = outcome, .ip = ip};
    return audit_append_id(db, &ae, audit_id);
}

/* Moves the ticket as the AI when it still waits for the customer: pending, or open again by
 * the customer's reply (which reopens a pending ticket); a move the workflow forbids is skipped. */
static enum err move_waiting(struct db *db, const struct pending *p, const char *to, struct failure *f)
{
    if (strcmp(p->status, "pending") != 0 && !(p->replied && strcmp(p->status, "open") == 0))
        return ERR_OK;
    enum err e = assist_ticket_status(db, p->ticket_id, to, f);
    return e == ERR_VALIDATION ? ERR_OK : e;
}

/* Hands the ticket to a person: the category's team when it has none, a note for the agents, and
 * the intervention record (the customer overrode the AI's "resolved"). */
static int to_person(struct db *db, struct pending *p, const char *outcome, int64_t audit_id)
{
    int rc = DB_DONE;
    int64_t team = p->team_id ? 0 : assist_category_team(db, p->category);
    if (team) {
        char team_text[24];
        snprintf(team_text, sizeof team_text, "%lld", (long long)team);
        struct audit_entry ae = {.actor_kind = "ai", .action = "ticket.update", .target_type = "ticket",
                                 .target_id = p->ticket_id, .field = "team_id", .new_value = team_text};
        rc = db_run(db, "UPDATE tickets SET team_id = $1 WHERE id = $2", "ii", team, p->ticket_id);
        if (rc >= 0)
            rc = audit_append(db, &ae);
    }
    const char *note = strcmp(outcome, "replied") == 0
                           ? "The customer replied to the automated answer instead of confirming it: over to a person."
                           : "The customer said the automated answer did not help: over to a person.";
    if (rc >= 0)
        rc = assist_post_message(db, p->ticket_id, note, true, &p->note_id);
    if (rc >= 0)
        rc = db_run(db,
                    "INSERT INTO ai_interventions (decision_id, ticket_id, kind, ai_label, human_label, user_id,"
                    " audit_id, created_at) VALUES ($1, $2, 'auto_resolution', 'resolved', $3, $4, $5, $6)",
                    "iitiii", p->decision_id, p->ticket_id, outcome, p->requester_id, audit_id, time_now());
    return rc;
}

/* Closes pending resolution p with outcome (confirmed, timeout: solved; not_helped, replied:
 * reopened), as actor, inside the caller's transaction, and marks it closed. ERR_CONFLICT when
 * another writer closed it first. */
static enum err close_pending(struct db *db, struct pending *p, const char *outcome, const char *actor_kind,
                              int64_t actor_id, const char *ip, struct failure *f)
{
    bool solved = strcmp(outcome, "confirmed") == 0 || strcmp(outcome, "timeout") == 0;
    int64_t audit_id = 0;
    int rc = claim(db, p->id, solved ? "solved" : "reopened", outcome);
    if (rc == DB_DONE)
        return fail(f, ERR_CONFLICT, NULL, "the automated answer was already answered");
    if (rc >= 0)
        rc = audit_outcome(db, p, outcome, actor_kind, actor_id, ip, &audit_id);
    enum err e = rc < 0 ? ERR_OK : move_waiting(db, p, solved ? "solved" : "open", f);
    if (e)
        return e;
    if (rc >= 0 && !solved)
        rc = to_person(db, p, outcome, audit_id);
    json_t *why = json_pack("{s:s, s:b}", "outcome", outcome, "replied", p->replied);
    if (rc >= 0)
        rc = assist_decision_add(db, "auto_resolution", p->ticket_id, solved ? "solved" : "reopened", 1, true, why, NULL);
    json_decref(why);
    if (rc >= 0)
        rc = tickets_touch(db, p->ticket_id);
    p->closed = rc >= 0;
    return rc < 0 ? fail(f, ERR_INTERNAL, NULL, "could not record the outcome: %s", db_errmsg(db)) : ERR_OK;
}

enum err assist_resolution_answer(struct db *db, struct bus *bus, const struct principal *me, const char *ip,
                                  int64_t ticket_id, bool helped, json_t **out, struct failure *f)
{
    struct ticket_ref ref;
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_access(db, me, ticket_id, &ref);
    if (e) {
        fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
        goto done;
    }
    if (ref.requester_id != me->user_id) {
        e = fail(f, ERR_FORBIDDEN, NULL, "only the ticket's requester can answer its automated answer");
        goto done;
    }
    struct db_stmt *st = db_query(db, PENDING_SELECT " AND r.ticket_id = $1", "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    struct pending p;
    if (rc == DB_ROW)
        read_pending(st, &p);
    db_finalize(st);
    if (rc != DB_ROW) {
        e = rc == DB_DONE ? fail(f, ERR_CONFLICT, NULL, "no automated answer on this ticket is waiting for an answer")
                          : fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    }
    if ((e = close_pending(db, &p, helped ? "confirmed" : "not_helped", "user", me->user_id, ip, f)))
        goto done;
    if (db_commit(db) < 0) {
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    }
    publish_closed(db, bus, &p);
    if (!(*out = assist_resolution_get(db, ticket_id, &e)))
        return fail(f, e, NULL, "could not read the resolution");
    return ERR_OK;
done:
    db_rollback(db);
    return e;
}

/* True when a pending resolution was replied to or is due (a read, outside any transaction). */
static bool any_due(struct db *db, int64_t now)
{
    struct db_stmt *st = db_query(db, PENDING_SELECT DUE " LIMIT 1", "i", now);
    bool any = st && db_step(st) == DB_ROW;
    db_finalize(st);
    return any;
}

void assist_resolutions_tick(struct db *db, struct bus *bus)
{
    struct pending due[TICK_BATCH];
    size_t n = 0;
    int64_t now = time_now();
    if (!any_due(db, now))
        return; /* the usual case: no write transaction every tick */
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_lock(db, DB_LOCK_AI);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db, PENDING_SELECT DUE " ORDER BY r.id LIMIT $2",
                                           "ii", now, (int64_t)TICK_BATCH);
    rc = st ? DB_ROW : DB_ERROR;
    while (st && n < TICK_BATCH && (rc = db_step(st)) == DB_ROW)
        read_pending(st, &due[n++]);
    db_finalize(st);
    enum err e = ERR_OK;
    struct failure f = {0};
    for (size_t i = 0; i < n && rc >= 0 && !e; i++) {
        struct pending *p = &due[i];
        json_t *why = NULL;
        if (p->replied) { /* thanks alone confirm the answer; anything else goes to a person */
            e = close_pending(db, p, replies_confirm(db, p) ? "confirmed" : "replied", "ai", 0, NULL, &f);
        } else if (strcmp(p->status, "pending") != 0) { /* a person took the ticket over */
            why = json_pack("{s:s}", "status", p->status);
            if ((rc = claim(db, p->id, "dropped", NULL)) >= 0)
                rc = assist_decision_add(db, "auto_resolution", p->ticket_id, "dropped", 1, false, why, NULL);
        } else {
            e = close_pending(db, p, "timeout", "ai", 0, NULL, &f);
        }
        if (e == ERR_CONFLICT) /* the customer answered meanwhile (another node) */
            e = ERR_OK;
        json_decref(why);
    }
    if (rc >= 0 && !e && n)
        rc = db_commit(db);
    else
        db_rollback(db);
    for (size_t i = 0; i < n && rc >= 0 && !e; i++) {
        if (due[i].closed)
            publish_closed(db, bus, &due[i]);
    }
    if (rc < 0 || e)
        log_error("ai: automated resolutions: %s", e ? f.message : db_errmsg(db));
}

json_t *assist_resolution_get(struct db *db, int64_t ticket_id, enum err *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT message_id, state, outcome, created_at, due_at, closed_at FROM ai_resolutions"
                                  " WHERE ticket_id = $1",
                                  "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *out = NULL;
    if (rc == DB_ROW) {
        char answered[21], due[21], closed[21];
        out = json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:o}", "ticket_id", (json_int_t)ticket_id, "message_id",
                        (json_int_t)db_col_int(st, 0), "state", db_col_text(st, 1), "outcome",
                        db_col_null(st, 2) ? json_null() : json_string(db_col_text(st, 2)), "answered_at",
                        time_format(db_col_int(st, 3), answered), "due_at", time_format(db_col_int(st, 4), due),
                        "closed_at", db_col_null(st, 5) ? json_null() : json_string(time_format(db_col_int(st, 5), closed)));
    }
    db_finalize(st);
    *e = rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    return out;
}
