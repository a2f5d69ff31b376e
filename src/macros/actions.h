/* A macro's actions: checking them when the macro is saved and turning them into a ticket
 * change when it is applied. */
#ifndef PARLEY_MACROS_ACTIONS_H
#define PARLEY_MACROS_ACTIONS_H
#include <jansson.h>

#include "store/db.h"
#include "tickets/tickets.h"
#include "users/principal.h"
#include "util/error.h"

/* Checks actions (a JSON object of status, priority, add_tags, remove_tags, assignee_id (an id,
 * "me" or null), team_id (an id or null)) against the workflow, staff and teams; ERR_VALIDATION
 * naming actions.<member> otherwise. */
enum err macro_actions_check(struct db *db, const struct principal *me, json_t *actions, struct failure *f);
/* Fills p with the change actions make to a ticket whose tags are `tags`, for the agent me;
 * *new_tags (caller frees, may stay NULL) holds the tag list p points to. */
void macro_actions_patch(json_t *actions, json_t *tags, const struct principal *me, struct ticket_patch *p,
                         json_t **new_tags);

#endif
