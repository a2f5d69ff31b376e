#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "api/routes.h"
#include "app.h"
#include "cli/cli.h"
#include "events/bus.h"
#include "jobs/scheduler.h"
#include "tickets/presence.h"
#include "http/ratelimit.h"
#include "http/server.h"
#include "store/migrations.h"
#include "store/pool.h"
#include "users/totp.h"
#include "util/log.h"

int cmd_serve(int argc, char **argv)
{
    struct app app = {0};
    const char *pos[1];
    int npos;
    if (!cli_config(&app.cfg, argc - 1, argv + 1, NULL, pos, 0, &npos))
        return EXIT_USAGE;
    server_block_signals();
    char err[512], keyfile[1100];
    snprintf(keyfile, sizeof keyfile, "%s/secret.key", app.cfg.data_dir);
    if (!crypto_init() || !totp_init()) {
        fprintf(stderr, "parley: cannot initialise the crypto libraries\n");
        return EXIT_FAIL;
    }
    app.pool = db_pool_create(app.cfg.db_url, app.cfg.data_dir, err, sizeof err);
    if (!app.pool) {
        fprintf(stderr, "parley: %s\n", err);
        return EXIT_FAIL;
    }
    if (mkdir(app.cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "parley: cannot create data folder %s: %s\n", app.cfg.data_dir, strerror(errno));
        db_pool_destroy(app.pool);
        return EXIT_FAIL;
    }
    if (!crypto_load_key(keyfile, app.secret_key, err, sizeof err)) {
        fprintf(stderr, "parley: %s\n", err);
        db_pool_destroy(app.pool);
        return EXIT_FAIL;
    }
    settings_cache_init(&app.settings);
    app.rate = ratelimit_create();
    app.bus = bus_create();
    app.presence = presence_create();
    struct db *db = db_pool_acquire(app.pool);
    int applied = 0;
    int rc = db ? migrate_apply(db, &applied) : -1;
    if (rc < 0)
        fprintf(stderr, "parley: %s\n", db ? db_errmsg(db) : "cannot connect to the database");
    else if (applied)
        log_info("applied %d migration(s)", applied);
    db_pool_release(app.pool, db);
    if (rc >= 0) {
        struct scheduler *jobs = scheduler_start(&app);
        rc = server_run(&app, api_routes, api_routes_count);
        scheduler_stop(jobs);
    }
    presence_destroy(app.presence);
    bus_destroy(app.bus);
    ratelimit_destroy(app.rate);
    settings_cache_destroy(&app.settings);
    db_pool_destroy(app.pool);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
