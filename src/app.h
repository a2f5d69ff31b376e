/* The one object that holds the server's long-lived state, passed down to every handler. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H
#include <stdint.h>

#include "settings/settings.h"
#include "util/config.h"
#include "util/crypto.h"

struct db_pool;
struct ratelimit;
struct bus;
struct presence;

struct app {
    struct config cfg;
    struct db_pool *pool;               /* owned */
    struct settings_cache settings;
    struct ratelimit *rate;             /* owned */
    struct bus *bus;                    /* owned: live events to SSE streams */
    struct presence *presence;          /* owned: who has which ticket open */
    uint8_t secret_key[CRYPTO_KEY_BYTES]; /* seals secrets at rest (data folder's secret.key) */
};

#endif
