/* Applying a macro to a ticket: its actions change the ticket and its body is filled in for the
 * agent's composer, in one audited transaction. */
#ifndef PARLEY_MACROS_APPLY_H
#define PARLEY_MACROS_APPLY_H
#include <stdint.h>

#include "store/db.h"
#include "tickets/tickets.h"
#include "users/principal.h"
#include "util/error.h"

/* Applies macro id to ticket ticket_id as me (from address ip) in one transaction: the actions
 * as one ticket change (an audit event per changed field, workflow and If-Match cond checked),
 * plus an audit event "ticket.macro" naming the macro. *body gets the body rendered against
 * the changed ticket (caller frees); ref is filled for the live events. */
enum err macros_apply(struct db *db, const struct principal *me, const char *ip, int64_t id, int64_t ticket_id,
                      const struct if_match *cond, char **body, struct ticket_ref *ref, struct failure *f);

#endif
