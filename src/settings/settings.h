/* Runtime settings that admins change with PATCH /api/v1/admin/settings. Stored in the database
 * (so every node sees them) and cached in memory for a short time. */
#ifndef PARLEY_SETTINGS_SETTINGS_H
#define PARLEY_SETTINGS_SETTINGS_H
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/error.h"

struct settings {
    int ticket_create_per_minute;
    int ticket_update_per_minute;
    bool allow_registration;
    bool require_2fa_for_staff;
    int session_idle_minutes;
    int session_max_days;
    bool ai_auto_routing;       /* triage sets the team from the category (ai_category_teams) */
};

/* The settings every node shares, with the time they were read. */
struct settings_cache {
    pthread_mutex_t lock;
    struct settings cur;
    int64_t loaded_us;      /* 0: never loaded */
};

/* Prepares an empty cache. */
void settings_cache_init(struct settings_cache *c);
/* Frees the cache's lock. */
void settings_cache_destroy(struct settings_cache *c);
/* Current settings: from the cache when read within the last 2 seconds, else from db.
 * On a database error the defaults (or the last values read) are returned. */
struct settings settings_get(struct settings_cache *c, struct db *db);
/* All settings as the JSON document of the API. Caller owns it. */
json_t *settings_to_json(const struct settings *s);
/* Applies the keys patch names (nested as in settings_to_json) after validating all of them;
 * on success stores them, appends one audit entry per changed key for actor (inside one
 * transaction) and refreshes the cache. Unknown keys and bad values fail with the key as field. */
enum err settings_patch(struct settings_cache *c, struct db *db, json_t *patch, int64_t actor_id,
                        const char *ip, struct failure *f);

#endif
