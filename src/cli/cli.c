/* The command table, usage text and shared option parsing of `parley`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_ai.h"
#include "store/db.h"
#include "store/migrations.h"
#include "version.h"

static const struct command commands[] = {
    {"serve", "[--port N] [--data DIR] [--db URL] [--config FILE] [--threads N] [--bind ADDR] [--web DIR]"
              " [--trusted-proxies LIST]",
     "run the HTTP server (API, web UI, live events)", cmd_serve},
    {"migrate", "[--data DIR] [--db URL]", "apply database migrations and exit", cmd_migrate},
    {"user", "add --email E --name N --role customer|agent|supervisor|admin [--data DIR] [--db URL]",
     "create an account; the password is read from standard input", cmd_user},
    {"audit", "verify [--data DIR] [--db URL]", "check the audit log's hash chain; exit 0 when intact", cmd_audit},
    {"ai", "eval-classifier --train T.csv --test S.csv | eval-retrieval --articles A.csv --queries Q.csv"
           " | train [--csv FILE] [--kind category|priority|sentiment]",
     "train and evaluate the AI models", cmd_ai},
};

void cli_usage(FILE *f)
{
    fprintf(f, "usage: parley <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n           %s\n", commands[i].name, commands[i].args, commands[i].summary);
    fprintf(f, "\nShared options: --data DIR (default ./parley-data), --db postgres://… (default: SQLite in\n"
               "the data folder), --config FILE; environment: PARLEY_PORT, PARLEY_DATA, PARLEY_DB,\n"
               "PARLEY_TRUSTED_PROXIES.\n"
               "  parley --help      this text\n  parley --version   the version\n");
}

bool cli_config(struct config *cfg, int argc, char **argv, const struct config_opt *extra,
                const char **pos, int maxpos, int *npos)
{
    char err[512];
    if (config_load(cfg, argc, argv, extra, pos, maxpos, npos, err, sizeof err))
        return true;
    fprintf(stderr, "parley: %s\n\n", err);
    cli_usage(stderr);
    return false;
}

struct db *cli_open_db(const struct config *cfg)
{
    char err[512];
    struct db *db = db_open(cfg->db_url, cfg->data_dir, err, sizeof err);
    if (!db) {
        fprintf(stderr, "parley: %s\n", err);
        return NULL;
    }
    if (migrate_apply(db, NULL) < 0) {
        fprintf(stderr, "parley: %s\n", db_errmsg(db));
        db_close(db);
        return NULL;
    }
    return db;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        cli_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("parley %s\n", PARLEY_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "parley: unknown command '%s'\n\n", argv[1]);
    cli_usage(stderr);
    return EXIT_USAGE;
}
