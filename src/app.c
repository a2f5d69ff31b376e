#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "assist/assist.h"
#include "events/bus.h"
#include "events/relay.h"
#include "http/ratelimit.h"
#include "kb/kb.h"
#include "store/migrations.h"
#include "store/pool.h"
#include "tickets/presence.h"
#include "users/totp.h"
#include "util/filetype.h"
#include "util/log.h"

bool app_open(struct app *app, char *err, size_t errlen)
{
    char keyfile[1100];
    if (!crypto_init() || !totp_init()) {
        snprintf(err, errlen, "cannot initialise the crypto libraries");
        return false;
    }
    if (mkdir(app->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create data folder %s: %s", app->cfg.data_dir, strerror(errno));
        return false;
    }
    snprintf(keyfile, sizeof keyfile, "%s/secret.key", app->cfg.data_dir);
    if (!crypto_load_key(keyfile, app->secret_key, err, errlen))
        return false;
    app->filetype = filetype_create();
    if (!app->filetype) {
        snprintf(err, errlen, "cannot load libmagic's file type database");
        return false;
    }
    app->pool = db_pool_create(app->cfg.db_url, app->cfg.data_dir, err, errlen);
    if (!app->pool)
        return false;
    struct db *db = db_pool_acquire(app->pool);
    int applied = 0;
    int rc = db ? migrate_apply(db, &applied) : DB_ERROR;
    if (rc < 0)
        snprintf(err, errlen, "%s", db ? db_errmsg(db) : "cannot connect to the database");
    else if (applied)
        log_info("applied %d migration(s)", applied);
    if (rc >= 0 && !(app->kb = kb_open(db, err, errlen)))
        rc = DB_ERROR;
    if (rc >= 0 && !(app->assist = assist_open(db, err, errlen)))
        rc = DB_ERROR;
    db_pool_release(app->pool, db);
    if (rc < 0)
        return false;
    settings_cache_init(&app->settings);
    app->settings_ready = true;
    app->rate = ratelimit_create();
    app->bus = bus_create();
    /* several nodes on one PostgreSQL database hear each other's live events */
    if (db_is_postgres_url(app->cfg.db_url))
        app->relay = relay_start(app->bus, app->pool, app->cfg.db_url);
    app->presence = presence_create();
    return true;
}

void app_close(struct app *app)
{
    if (app->kb) {
        /* the reading log not yet written goes to the database first */
        struct db *db = db_pool_acquire(app->pool);
        kb_close(app->kb, db);
        db_pool_release(app->pool, db);
    }
    assist_close(app->assist);
    presence_destroy(app->presence);
    relay_stop(app->relay);
    bus_destroy(app->bus);
    ratelimit_destroy(app->rate);
    if (app->settings_ready)
        settings_cache_destroy(&app->settings);
    db_pool_destroy(app->pool);
    filetype_destroy(app->filetype);
}
