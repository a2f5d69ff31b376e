/* The conversation of a ticket: public replies and internal notes (never shown to customers),
 * Markdown bodies with a safe HTML rendering. */
#ifndef PARLEY_TICKETS_MESSAGES_H
#define PARLEY_TICKETS_MESSAGES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "tickets/tickets.h"
#include "users/principal.h"
#include "util/error.h"

/* A message to insert. */
struct message_new {
    const char *body;           /* Markdown */
    const char *body_html;      /* body rendered by markdown_to_html, or NULL: rendered here */
    bool internal;
    const char *channel;
    const char *language;       /* ISO 639-1, or NULL: the AI's job fills it in later */
};

/* Inserts a message by author inside the caller's transaction (no checks beyond the body). */
enum err messages_insert(struct db *db, const struct principal *author, int64_t ticket_id,
                         const struct message_new *m, int64_t *id, struct failure *f);
/* Adds a reply or note as me in its own transaction: visibility, notes for staff only, the
 * first-response time, status moves (a customer's reply reopens a pending or solved ticket;
 * a staff reply opens a new one, or sets status when given; an automatic move the workflow
 * forbids is skipped), the If-Match precondition cond, audit. */
enum err messages_add(struct db *db, const struct principal *me, const char *ip, int64_t ticket_id, const char *body,
                      bool internal, const char *status, const struct if_match *cond, int64_t *id,
                      struct ticket_ref *ref, struct failure *f);
/* One message as {id, ticket_id, author_id, author_kind, internal, body, body_html, channel, created_at}. */
json_t *messages_get(struct db *db, int64_t id);
/* The messages of a ticket me may see, oldest first, after message id after, at most limit. */
json_t *messages_list(struct db *db, const struct principal *me, int64_t ticket_id, int64_t after, int limit);

#endif
