/* Less frequent ticket operations: satisfaction ratings and merging. */
#ifndef PARLEY_TICKETS_EXTRAS_H
#define PARLEY_TICKETS_EXTRAS_H
#include <stdint.h>

#include "store/db.h"
#include "tickets/tickets.h"
#include "users/principal.h"
#include "util/error.h"

/* Records the requester's rating (1..5, optional comment) once the ticket is solved or closed;
 * once only (ERR_CONFLICT after); audited. Others get ERR_NOT_FOUND (customers) or 422. */
enum err tickets_rate(struct db *db, const struct principal *me, const char *ip, int64_t id, int score,
                      const char *comment, struct failure *f);
/* Merges ticket id into ticket into: its messages move, it is closed and linked (merged_into),
 * both are audited. Fills the refs of both for live events. */
enum err tickets_merge(struct db *db, const struct principal *me, const char *ip, int64_t id, int64_t into,
                       struct ticket_ref *source, struct ticket_ref *target, struct failure *f);

#endif
