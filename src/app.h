/* The one object that holds the server's long-lived state, passed down to every handler. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H
#include <stdint.h>

#include "settings/settings.h"
#include "util/config.h"
#include "util/crypto.h"

struct db_pool;
struct ratelimit;

struct app {
    struct config cfg;
    struct db_pool *pool;               /* owned */
    struct settings_cache settings;
    struct ratelimit *rate;             /* owned */
    uint8_t secret_key[CRYPTO_KEY_BYTES]; /* seals secrets at rest (data folder's secret.key) */
};

#endif
