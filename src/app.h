/* The one object that holds the server's long-lived state, passed down to every handler. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings/settings.h"
#include "util/config.h"
#include "util/crypto.h"

struct db_pool;
struct ratelimit;
struct bus;
struct relay;
struct presence;
struct filetype;
struct assist;
struct kb;

struct app {
    struct config cfg;
    struct db_pool *pool;               /* owned */
    struct settings_cache settings;
    struct ratelimit *rate;             /* owned */
    struct bus *bus;                    /* owned: live events to SSE streams */
    struct relay *relay;                /* owned: events to and from other nodes (PostgreSQL) */
    struct presence *presence;          /* owned: who has which ticket open */
    struct filetype *filetype;          /* owned: libmagic, for uploads */
    struct assist *assist;              /* owned: the AI engine (models, language detector) */
    struct kb *kb;                      /* owned: knowledge-base search index and reading log */
    uint8_t secret_key[CRYPTO_KEY_BYTES]; /* seals secrets at rest (data folder's secret.key) */
    bool settings_ready;
};

/* Sets up everything app->cfg describes: crypto, the data folder and its key, the database
 * (migrated), settings, rate limits, the event bus. On failure writes why into err; call
 * app_close either way. */
bool app_open(struct app *app, char *err, size_t errlen);
/* Frees what app_open set up. */
void app_close(struct app *app);

#endif
