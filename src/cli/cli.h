/* The command-line front end: `parley <command> [options]`. Each command is one function. */
#ifndef PARLEY_CLI_CLI_H
#define PARLEY_CLI_CLI_H
#include <stdio.h>

#include "util/config.h"

/* Exit codes of every command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct command {
    const char *name;
    const char *args;       /* the synopsis after the name, for --help */
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
};

/* Runs `parley ARGS`: dispatches to a command; returns the exit code. */
int cli_main(int argc, char **argv);
/* Prints the usage of every command to f. */
void cli_usage(FILE *f);
/* Loads the shared configuration plus a command's own options from argv (after argv[0]); on an
 * error prints it and the usage to stderr and returns false (the command then exits 2). */
bool cli_config(struct config *cfg, int argc, char **argv, const struct config_opt *extra,
                const char **pos, int maxpos, int *npos);

struct db;
/* Opens the database cfg names, applying pending migrations first; on failure prints why and
 * returns NULL. The caller closes it. */
struct db *cli_open_db(const struct config *cfg);

/* `parley serve`: runs the HTTP server. */
int cmd_serve(int argc, char **argv);
/* `parley migrate`: applies the database migrations. */
int cmd_migrate(int argc, char **argv);

/* `parley user add`: creates an account; the password comes from standard input. */
int cmd_user(int argc, char **argv);
/* `parley audit verify`: checks the audit log's hash chain. */
int cmd_audit(int argc, char **argv);

#endif
