/* Automated resolution: for the categories an admin marks as auto-resolvable, a new ticket whose
 * best knowledge-base answer reaches the confidence threshold gets that answer as a public reply
 * by the AI (marked as automated) and waits in status pending. The customer's confirmation, or a
 * reply that only thanks (assist/confirm.h), solves it; "did not help" or any other reply reopens
 * it for a person (routed to the category's team, with a note for agents and an intervention
 * record); silence until the timeout solves it. The AI's messages and moves are published live
 * (assist/live.h).
 * Every step is audited with the AI as actor (the customer's answer as the customer) and
 * recorded in ai_decisions (kind "auto_resolution"). Settings in ai_auto_resolve, state in
 * ai_resolutions (migration 011).
 * autoresolve.c: the settings and the answer on creation; resolution.c: what follows. */
#ifndef PARLEY_ASSIST_AUTORESOLVE_H
#define PARLEY_ASSIST_AUTORESOLVE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "assist/assist.h"
#include "assist/config.h"
#include "events/bus.h"
#include "kb/index.h"
#include "users/principal.h"

/* The admin's `auto_resolve` settings: {enabled, categories, min_confidence, timeout_seconds}
 * (off until set); a PUT changes the members it names; errors name them
 * (`auto_resolve.categories`, …). */
extern const struct assist_setting assist_auto_resolve_setting;
/* When it is on and new ticket ticket_id qualifies (its category is auto-resolvable and the best
 * article's confidence reaches the threshold): the automated answer, the move to pending and the
 * pending resolution, in one transaction, then message.created on bus (may be NULL; the new
 * ticket's own event shows the status); *answered says whether it was sent. An eligible
 * category with too weak an answer is recorded as a "declined" decision. */
enum err assist_auto_resolve(struct assist *a, struct db *db, struct bus *bus, struct kb_index *ix,
                             int64_t ticket_id, bool *answered, struct failure *f);
/* Moves ticket_id to status `to` as the AI inside the caller's transaction (the workflow's
 * transition check, solved_at, an audit entry with actor "ai"); ERR_VALIDATION when the
 * workflow forbids the move. Does not touch the ticket's version. */
enum err assist_ticket_status(struct db *db, int64_t ticket_id, const char *to, struct failure *f);

/* The requester me answers the automated answer on ticket_id (helped: solved; not: reopened and
 * routed to a person); *out gets the resolution as assist_resolution_get shows it.
 * ERR_NOT_FOUND when me may not see the ticket, ERR_FORBIDDEN when me is not its requester,
 * ERR_CONFLICT when no automated answer waits for an answer. The AI's note and the ticket's
 * change are published on bus (may be NULL) after the commit. */
enum err assist_resolution_answer(struct db *db, struct bus *bus, const struct principal *me, const char *ip,
                                  int64_t ticket_id, bool helped, json_t **out, struct failure *f);
/* The periodic job: pending resolutions whose customer replied are solved when every reply only
 * thanks or confirms (assist/confirm.h) and reopened otherwise; those past their timeout are
 * solved (dropped when a person moved the ticket out of pending first). The AI's notes and the
 * tickets' changes are published on bus (may be NULL) after the commit. Errors are logged. */
void assist_resolutions_tick(struct db *db, struct bus *bus);
/* The ticket's automated answer and what became of it: {ticket_id, message_id, state, outcome,
 * answered_at, due_at, closed_at}; NULL with *e = ERR_NOT_FOUND when it has none. */
json_t *assist_resolution_get(struct db *db, int64_t ticket_id, enum err *e);

#endif
