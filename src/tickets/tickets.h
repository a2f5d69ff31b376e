/* Tickets: creation (with the first message), reading with visibility rules, changes with
 * workflow checks and an audit event per changed field, optimistic concurrency by version. */
#ifndef PARLEY_TICKETS_TICKETS_H
#define PARLEY_TICKETS_TICKETS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/principal.h"
#include "users/users.h"
#include "util/arena.h"
#include "util/error.h"

#define TICKET_SUBJECT_MAX 250
#define TICKET_BODY_MAX 100000
#define TICKET_TAGS_MAX 50
#define TICKET_TAG_MAX 50

/* The columns tickets_row_json reads, in order (the ticket table aliased t). */
#define TICKET_COLUMNS                                                                                   \
    "id, subject, status, priority, channel, requester_id, assignee_id, team_id, tags, custom_fields," \
    " language, category, version, created_at, updated_at, first_response_at, solved_at, remind_at,"  \
    " merged_into, context,"                                                                           \
    " (SELECT name FROM users u WHERE u.id = t.requester_id), (SELECT email FROM users u WHERE u.id = t.requester_id)," \
    " (SELECT name FROM users u WHERE u.id = t.assignee_id)"

struct ticket_new {
    const char *subject, *body;
    const char *priority;       /* NULL: normal */
    const char *channel;        /* NULL: web for customers, api for staff */
    const char *requester_email; /* staff only: create on behalf of this customer */
    json_t *tags, *custom_fields; /* may be NULL */
    json_t *context;            /* what the requester searched and read first, or NULL */
    const char *language;       /* ISO 639-1 of subject and body as the AI detected it, or NULL */
    const char *body_html;      /* body rendered by markdown_to_html before the write lock, or NULL */
};

/* An If-Match precondition: the version (the ETag) or the updated_at the writer saw; 0 = none. */
struct if_match {
    int64_t version, updated_at;
};

/* A change; members left NULL / has_* false are not changed. */
struct ticket_patch {
    const char *subject, *status, *priority;
    bool has_assignee, has_team, has_remind;
    int64_t assignee_id, team_id, remind_at; /* 0 clears */
    json_t *tags, *custom_fields;
    struct if_match if_match;   /* ERR_CONFLICT unless the ticket is still as the writer saw it */
};

/* The people a ticket concerns, for routing live events after a change. */
struct ticket_ref {
    int64_t id, requester_id, assignee_id, version, updated_at;
};

/* Creates a ticket and its first public message in one transaction (audited); fills ref. */
enum err tickets_create(struct db *db, const struct principal *me, const char *ip, const struct ticket_new *in,
                        struct ticket_ref *ref, struct failure *f);
/* Applies a change inside the caller's transaction: permission of the role, validation, the
 * workflow, one audit event per changed field; the version grows only when something changed.
 * Fills ref (may be NULL). */
enum err tickets_apply(struct db *db, const struct principal *me, const char *ip, int64_t id,
                       const struct ticket_patch *p, struct ticket_ref *ref, struct failure *f);
/* Checks what a change sets regardless of the ticket (subject, status and priority exist,
 * assignee is staff, team exists, tags, custom field values): bulk checks once before its loop. */
enum err tickets_check_patch(struct db *db, const struct ticket_patch *p, struct failure *f);
/* ERR_OK when m is empty or matches a ticket at version and updated_at; ERR_CONFLICT otherwise. */
enum err tickets_check_match(const struct if_match *m, int64_t version, int64_t updated_at, struct failure *f);
/* tickets_apply in a transaction of its own. */
enum err tickets_update(struct db *db, const struct principal *me, const char *ip, int64_t id,
                        const struct ticket_patch *p, struct ticket_ref *ref, struct failure *f);
/* ERR_OK when me may see ticket id (staff: all; customers: their own), ERR_NOT_FOUND otherwise;
 * fills ref when not NULL. */
enum err tickets_access(struct db *db, const struct principal *me, int64_t id, struct ticket_ref *ref);
/* The ticket object of API.md as me may see it, or NULL (*e says why). */
json_t *tickets_get(struct db *db, const struct principal *me, int64_t id, enum err *e);
/* The ticket object of one row selected with TICKET_COLUMNS (custom fields not yet filtered). */
json_t *tickets_row_json(struct db_stmt *st, bool staff);
/* Marks the ticket changed (updated_at, version + 1) inside the caller's transaction. */
int tickets_touch(struct db *db, int64_t id);

#endif
