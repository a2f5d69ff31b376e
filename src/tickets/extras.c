#include "tickets/extras.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

enum err tickets_rate(struct db *db, const struct principal *me, const char *ip, int64_t id, int score,
                      const char *comment, struct failure *f)
{
    struct ticket_ref ref;
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_access(db, me, id, &ref);
    if (e) {
        db_rollback(db);
        return fail(f, e, NULL, "no such ticket");
    }
    if (ref.requester_id != me->user_id) {
        db_rollback(db);
        return fail(f, ERR_VALIDATION, "score", "only the requester can rate a ticket");
    }
    struct db_stmt *st = db_query(db,
                                  "SELECT s.category FROM tickets t JOIN statuses s ON s.key = t.status WHERE t.id = $1",
                                  "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    bool done = rc == DB_ROW && (strcmp(db_col_text(st, 0), "solved") == 0 || strcmp(db_col_text(st, 0), "closed") == 0);
    db_finalize(st);
    if (rc >= 0 && !done) {
        db_rollback(db);
        return fail(f, ERR_VALIDATION, "score", "a ticket can be rated once it is solved");
    }
    char value[8];
    snprintf(value, sizeof value, "%d", score);
    struct audit_entry ae = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.rate",
                             .target_type = "ticket", .target_id = id, .field = "rating", .new_value = value, .ip = ip};
    if (rc >= 0)
        rc = db_run(db, "INSERT INTO ratings (ticket_id, score, comment, rater_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                    "iitii", id, (int64_t)score, comment, me->user_id, time_now());
    if (rc >= 0 && (rc = audit_append(db, &ae)) >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    if (rc == DB_CONSTRAINT)
        return fail(f, ERR_CONFLICT, "score", "this ticket has already been rated");
    return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}

enum err tickets_merge(struct db *db, const struct principal *me, const char *ip, int64_t id, int64_t into,
                       struct ticket_ref *source, struct ticket_ref *target, struct failure *f)
{
    if (id == into)
        return fail(f, ERR_VALIDATION, "into", "a ticket cannot be merged into itself");
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_access(db, me, id, source);
    if (e) {
        fail(f, e, NULL, "no such ticket");
        goto done;
    }
    if ((e = tickets_access(db, me, into, target))) {
        fail(f, e == ERR_NOT_FOUND ? ERR_VALIDATION : e, "into", "into must be an existing ticket");
        e = e == ERR_NOT_FOUND ? ERR_VALIDATION : e;
        goto done;
    }
    struct db_stmt *st = db_query(db, "SELECT merged_into FROM tickets WHERE id = $1 OR id = $2", "ii", id, into);
    int rc = st ? DB_DONE : DB_ERROR;
    bool merged = false;
    while (st && (rc = db_step(st)) == DB_ROW)
        merged |= !db_col_null(st, 0);
    db_finalize(st);
    if (merged) {
        e = fail(f, ERR_CONFLICT, "into", "one of the tickets was already merged");
        goto done;
    }
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", (long long)id);
    snprintf(b, sizeof b, "%lld", (long long)into);
    struct audit_entry from_entry = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.merge",
                                     .target_type = "ticket", .target_id = id, .field = "merged_into",
                                     .new_value = b, .ip = ip};
    struct audit_entry into_entry = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.merge",
                                     .target_type = "ticket", .target_id = into, .field = "merged_from",
                                     .new_value = a, .ip = ip};
    if (rc < 0 || db_run(db, "UPDATE messages SET ticket_id = $1 WHERE ticket_id = $2", "ii", into, id) < 0 ||
        db_run(db, "UPDATE tickets SET merged_into = $1, status = 'closed', solved_at = $2 WHERE id = $3", "iii", into,
               time_now(), id) < 0 ||
        tickets_touch(db, id) < 0 || tickets_touch(db, into) < 0 || audit_append(db, &from_entry) < 0 ||
        audit_append(db, &into_entry) < 0 || db_commit(db) < 0) {
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    }
    source->version++;
    target->version++;
done:
    if (e)
        db_rollback(db);
    return e;
}
