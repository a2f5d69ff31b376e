#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrations.h"

int cmd_migrate(int argc, char **argv)
{
    struct config cfg;
    const char *pos[1];
    int npos;
    if (!cli_config(&cfg, argc - 1, argv + 1, NULL, pos, 0, &npos))
        return EXIT_USAGE;
    char err[512];
    struct db *db = db_open(cfg.db_url, cfg.data_dir, err, sizeof err);
    if (!db) {
        fprintf(stderr, "parley: %s\n", err);
        return EXIT_FAIL;
    }
    int applied = 0;
    int rc = migrate_apply(db, &applied);
    if (rc < 0)
        fprintf(stderr, "parley: %s\n", db_errmsg(db));
    else
        printf("%d migration(s) applied; the schema is up to date\n", applied);
    db_close(db);
    return rc < 0 ? EXIT_FAIL : EXIT_OK;
}
