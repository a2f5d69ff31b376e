/* Follow-up reminders: tickets whose remind_at has come are claimed once (across nodes) so
 * their assignee can be told. */
#ifndef PARLEY_TICKETS_REMINDERS_H
#define PARLEY_TICKETS_REMINDERS_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Marks every reminder due at time now on an assigned ticket as sent (one without an assignee
 * waits until it has one) and returns them as [{ticket_id, assignee_id,
 * subject, remind_at}] (caller owns it); NULL on a database error. */
json_t *reminders_claim_due(struct db *db, int64_t now);

#endif
