#include "tickets/reminders.h"

#include "util/timeutil.h"

json_t *reminders_claim_due(struct db *db, int64_t now)
{
    /* one UPDATE … RETURNING claims atomically: two nodes never announce the same reminder */
    struct db_stmt *st = db_query(db,
                                  "UPDATE tickets SET reminder_sent = 1 WHERE remind_at IS NOT NULL AND remind_at <= $1"
                                  " AND reminder_sent = 0 AND assignee_id IS NOT NULL"
                                  " RETURNING id, assignee_id, subject, remind_at",
                                  "i", now);
    if (!st)
        return NULL;
    json_t *due = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[21];
        json_array_append_new(due, json_pack("{s:I, s:I, s:s, s:s}", "ticket_id", (json_int_t)db_col_int(st, 0),
                                             "assignee_id", (json_int_t)db_col_int(st, 1), "subject",
                                             db_col_text(st, 2), "remind_at", time_format(db_col_int(st, 3), at)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(due);
        return NULL;
    }
    return due;
}
