#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/db.h"
#include "users/users.h"
#include "util/crypto.h"

/* Reads one line from standard input (without echo on a terminal); false at end of input. */
static bool read_password(char *buf, size_t cap)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "Password (at least %d characters): ", PASSWORD_MIN);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = fgets(buf, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    buf[strcspn(buf, "\r\n")] = 0;
    return ok;
}

static int user_add(int argc, char **argv)
{
    struct config cfg;
    const char *email = NULL, *name = NULL, *role = "customer", *pos[1];
    int npos;
    struct config_opt opts[] = {{"email", &email}, {"name", &name}, {"role", &role}, {NULL, NULL}};
    if (!cli_config(&cfg, argc, argv, opts, pos, 0, &npos))
        return EXIT_USAGE;
    if (!email || !name) {
        fprintf(stderr, "parley: user add needs --email and --name\n\n");
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    struct user_input in = {.email = email, .name = name, .has_role = true};
    if (!role_parse(role, &in.role)) {
        fprintf(stderr, "parley: --role must be one of customer, agent, supervisor, admin\n");
        return EXIT_USAGE;
    }
    char password[PASSWORD_MAX + 2];
    if (!read_password(password, sizeof password)) {
        fprintf(stderr, "parley: no password on standard input\n");
        return EXIT_FAIL;
    }
    in.password = password;
    if (!crypto_init()) {
        fprintf(stderr, "parley: cannot initialise libsodium\n");
        return EXIT_FAIL;
    }
    struct db *db = cli_open_db(&cfg);
    if (!db)
        return EXIT_FAIL;
    int rc = EXIT_FAIL;
    struct failure f;
    struct actor by = {0};
    int64_t id;
    if (users_create(db, &in, &by, &id, &f)) {
        fprintf(stderr, "parley: %s\n", f.message);
        goto done;
    }
    printf("created %s %s (id %lld)\n", role, email, (long long)id);
    rc = EXIT_OK;
done:
    db_close(db);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return user_add(argc - 2, argv + 2);
    fprintf(stderr, "parley: user needs a sub-command: add\n\n");
    cli_usage(stderr);
    return EXIT_USAGE;
}
