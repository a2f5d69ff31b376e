/* Ticket workflow configuration: statuses (each in a category), the allowed transitions
 * between them, and priorities. Admins add statuses and priorities and restrict transitions. */
#ifndef PARLEY_TICKETS_WORKFLOW_H
#define PARLEY_TICKETS_WORKFLOW_H
#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define WORKFLOW_KEY_MAX 40

/* Writes the category of status key ("solved") into category (16 bytes); ERR_VALIDATION naming
 * "status" when the status does not exist. */
enum err workflow_status_category(struct db *db, const char *key, char category[16], struct failure *f);
/* ERR_OK when a ticket may move from status from to status to; ERR_VALIDATION naming "status" otherwise. */
enum err workflow_check_transition(struct db *db, const char *from, const char *to, struct failure *f);
/* ERR_OK when key is a priority; ERR_VALIDATION naming "priority" listing the valid ones otherwise. */
enum err workflow_check_priority(struct db *db, const char *key, struct failure *f);
/* Every status {key, label, category, position, transitions:[…]} in order. */
json_t *workflow_statuses(struct db *db);
/* Every priority {key, label, position} in order. */
json_t *workflow_priorities(struct db *db);
/* Adds a status in a category (audited). */
enum err workflow_add_status(struct db *db, const struct actor *by, const char *key, const char *label,
                             const char *category, struct failure *f);
/* Adds a priority after the existing ones (audited). */
enum err workflow_add_priority(struct db *db, const struct actor *by, const char *key, const char *label,
                               struct failure *f);
/* Replaces the allowed moves away from status from with the statuses listed in to (an empty list
 * allows every move again); audited. */
enum err workflow_set_transitions(struct db *db, const struct actor *by, const char *from, json_t *to,
                                  struct failure *f);

#endif
