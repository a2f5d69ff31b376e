/* Ticket lists: the filters of API.md (status, priority, assignee, team, tag, requester, full
 * text), sorting and keyset (cursor) paging; the same filters drive saved views and counts. */
#ifndef PARLEY_TICKETS_TICKET_LIST_H
#define PARLEY_TICKETS_TICKET_LIST_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/principal.h"
#include "util/error.h"

struct ticket_filter {
    const char *status;         /* one status, or several joined by commas */
    const char *priority;
    const char *tag;
    const char *q;              /* words in the subject or the messages me may see */
    bool assignee_set, assignee_none;
    int64_t assignee_id;
    int64_t team_id, requester_id;
    bool open_only;             /* statuses whose category is not solved or closed */
    bool reminder_due;          /* remind_at has come */
    const char *sort;           /* created_at, -created_at (default), updated_at, -updated_at */
    const char *cursor;         /* from next_cursor */
    int limit;
};

/* Reads a filter from a JSON object of strings and numbers (as saved views store them);
 * "me" as assignee_id means the caller. 422 naming the bad key. */
enum err ticket_filter_from_json(json_t *o, const struct principal *me, struct ticket_filter *out, struct failure *f);
/* Lists the tickets me may see that match; *next gets the cursor of the next page (caller frees,
 * NULL at the end). NULL on error (f says why). */
json_t *tickets_list(struct db *db, const struct principal *me, const struct ticket_filter *flt, char **next,
                     struct failure *f);
/* Counts the tickets me may see that match; negative on a database error. */
int64_t tickets_count(struct db *db, const struct principal *me, const struct ticket_filter *flt);

#endif
