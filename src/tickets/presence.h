/* Who has a ticket open: agents seen on a ticket in the last 30 seconds (collision warnings).
 * Kept in memory on each node. */
#ifndef PARLEY_TICKETS_PRESENCE_H
#define PARLEY_TICKETS_PRESENCE_H
#include <jansson.h>
#include <stdint.h>

#define PRESENCE_SECONDS 30

struct presence;

/* Creates an empty presence table. */
struct presence *presence_create(void);
/* Frees it. */
void presence_destroy(struct presence *p);
/* Records that user (name) looked at ticket_id at time now. */
void presence_seen(struct presence *p, int64_t ticket_id, int64_t user_id, const char *name, int64_t now);
/* The viewers of ticket_id seen since now - PRESENCE_SECONDS, other than except_user:
 * [{user_id, name, seen_at}]. Caller owns it. */
json_t *presence_viewers(struct presence *p, int64_t ticket_id, int64_t except_user, int64_t now);

#endif
