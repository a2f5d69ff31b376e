/* API keys: bearer tokens that act with their owner's role, shown once and stored hashed. */
#ifndef PARLEY_USERS_APIKEYS_H
#define PARLEY_USERS_APIKEYS_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "users/principal.h"
#include "users/users.h"
#include "util/arena.h"
#include "util/error.h"

#define APIKEY_TOKEN_CHARS 48
#define APIKEY_NAME_MAX 100

/* Creates a key named name for the actor's user (audited); writes the token (shown once) and id. */
enum err apikeys_create(struct db *db, const struct actor *by, const char *name,
                        char token[APIKEY_TOKEN_CHARS + 1], int64_t *id, struct failure *f);
/* Lists the live keys of user_id: {id, name, prefix, created_at, last_used_at}. */
json_t *apikeys_list(struct db *db, int64_t user_id);
/* Revokes a key of the actor's user (audited); ERR_NOT_FOUND when it is not theirs or already revoked. */
enum err apikeys_revoke(struct db *db, const struct actor *by, int64_t id);
/* Finds the live key of token whose owner is active and fills p (strings in arena);
 * ERR_UNAUTHORIZED when there is none. Records the last-used time at most once a minute. */
enum err apikeys_lookup(struct db *db, struct arena *arena, const char *token, struct principal *p);

#endif
