/* Teams of agents: create, rename, delete, and their members. Routing uses them later. */
#ifndef PARLEY_TEAMS_TEAMS_H
#define PARLEY_TEAMS_TEAMS_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define TEAM_NAME_MAX 100
#define TEAM_DESCRIPTION_MAX 2000

/* Creates a team (audited); its id in *id. ERR_CONFLICT when the name is taken. */
enum err teams_create(struct db *db, const struct actor *by, const char *name, const char *description,
                      int64_t *id, struct failure *f);
/* Renames or redescribes a team (NULL leaves a field alone). */
enum err teams_update(struct db *db, const struct actor *by, int64_t id, const char *name, const char *description,
                      struct failure *f);
/* Deletes a team and its memberships. */
enum err teams_delete(struct db *db, const struct actor *by, int64_t id);
/* One team as {id, name, description, member_ids, created_at}; NULL when absent (*e says why). */
json_t *teams_get(struct db *db, int64_t id, enum err *e);
/* Every team, by name, as team objects. */
json_t *teams_list(struct db *db);
/* Adds a staff user to a team (idempotent); ERR_NOT_FOUND for a missing team, 422 for a bad user. */
enum err teams_add_member(struct db *db, const struct actor *by, int64_t team_id, int64_t user_id,
                          struct failure *f);
/* Removes a member; ERR_NOT_FOUND when they were not one. */
enum err teams_remove_member(struct db *db, const struct actor *by, int64_t team_id, int64_t user_id);

#endif
