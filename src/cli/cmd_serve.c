#include <stdio.h>

#include "api/routes.h"
#include "app.h"
#include "cli/cli.h"
#include "http/server.h"
#include "store/migrations.h"
#include "store/pool.h"
#include "util/log.h"

int cmd_serve(int argc, char **argv)
{
    struct app app = {0};
    const char *pos[1];
    int npos;
    if (!cli_config(&app.cfg, argc - 1, argv + 1, NULL, pos, 0, &npos))
        return EXIT_USAGE;
    server_block_signals();
    char err[512];
    app.pool = db_pool_create(app.cfg.db_url, app.cfg.data_dir, err, sizeof err);
    if (!app.pool) {
        fprintf(stderr, "parley: %s\n", err);
        return EXIT_FAIL;
    }
    struct db *db = db_pool_acquire(app.pool);
    int applied = 0;
    int rc = db ? migrate_apply(db, &applied) : -1;
    if (rc < 0)
        fprintf(stderr, "parley: %s\n", db ? db_errmsg(db) : "cannot connect to the database");
    else if (applied)
        log_info("applied %d migration(s)", applied);
    db_pool_release(app.pool, db);
    if (rc >= 0)
        rc = server_run(&app, api_routes, api_routes_count);
    db_pool_destroy(app.pool);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
