/* Saved views: named ticket filters, personal or shared with every agent, with live counts;
 * three built in: "my open tickets", "unassigned", "due reminders". */
#ifndef PARLEY_TICKETS_VIEWS_H
#define PARLEY_TICKETS_VIEWS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "tickets/ticket_list.h"
#include "users/principal.h"
#include "util/error.h"

/* Every view me may use (built-in first, then shared and own) with its ticket count:
 * {id ("mine", "unassigned", "reminders" or a number as text), name, filters, shared, owner_id, count}. */
json_t *views_list(struct db *db, const struct principal *me);
/* Saves a view {name, filters, shared?}; filters are checked like list parameters. */
enum err views_create(struct db *db, const struct principal *me, const char *name, json_t *filters, bool shared,
                      int64_t *id, struct failure *f);
/* Deletes one of me's views (admins may delete shared ones); ERR_NOT_FOUND otherwise. */
enum err views_delete(struct db *db, const struct principal *me, int64_t id);
/* The filters of view key (built-in name or id) as me may use it, into a new object; NULL when
 * there is no such view. */
json_t *views_filters(struct db *db, const struct principal *me, const char *key);

#endif
