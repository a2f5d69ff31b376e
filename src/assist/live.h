/* Live events of the AI's own writes (its messages, notes and status moves), published on the
 * event bus after their commit with the shapes of the ticket routes (API.md): message.created
 * (an internal note to staff only) and ticket.updated (staff get the ticket, its requester
 * {ticket_id, version}). */
#ifndef PARLEY_ASSIST_LIVE_H
#define PARLEY_ASSIST_LIVE_H
#include <stdint.h>

#include "events/bus.h"
#include "store/db.h"

/* Publishes message.created for message message_id to staff and (unless internal) its ticket's
 * requester; nothing when b is NULL or the message cannot be read. */
void assist_live_message(struct bus *b, struct db *db, int64_t message_id);
/* Publishes ticket.updated for ticket ticket_id: the ticket to staff, {ticket_id, version} to its
 * requester; nothing when b is NULL or the ticket cannot be read. */
void assist_live_ticket(struct bus *b, struct db *db, int64_t ticket_id);

#endif
