#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "store/db.h"

static int audit_verify_cmd(int argc, char **argv)
{
    struct config cfg;
    const char *pos[1];
    int npos;
    if (!cli_config(&cfg, argc, argv, NULL, pos, 0, &npos))
        return EXIT_USAGE;
    struct db *db = cli_open_db(&cfg);
    if (!db)
        return EXIT_FAIL;
    int64_t linked, checked, unlinked, bad;
    char why[256] = "";
    /* what committed entries are still unlinked (PostgreSQL) are linked first */
    int rc = audit_chain(db, &linked);
    if (rc >= 0)
        rc = audit_verify(db, &checked, &unlinked, &bad, why, sizeof why);
    if (rc == DB_DONE && unlinked)
        printf("audit log intact: %lld entries checked, %lld written since and not linked yet\n", (long long)checked,
               (long long)unlinked);
    else if (rc == DB_DONE)
        printf("audit log intact: %lld entries checked\n", (long long)checked);
    else if (rc == DB_ROW)
        printf("audit log BROKEN at entry %lld: %s\n", (long long)bad, why);
    else
        fprintf(stderr, "parley: %s\n", db_errmsg(db));
    db_close(db);
    return rc == DB_DONE ? EXIT_OK : EXIT_FAIL;
}

int cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return audit_verify_cmd(argc - 2, argv + 2);
    fprintf(stderr, "parley: audit needs a sub-command: verify\n\n");
    cli_usage(stderr);
    return EXIT_USAGE;
}
