/* cmd_ai: `parley ai eval-classifier` and `parley ai eval-retrieval`. */
#ifndef PARLEY_CLI_CMD_AI_H
#define PARLEY_CLI_CMD_AI_H

/* Runs `parley ai ...` (argv[0] is "ai"): prints one JSON line on stdout.
 * Returns 0 on success, 1 on a data error (one line on stderr), 2 on a
 * usage error (usage on stderr). */
int cmd_ai(int argc, char **argv);

#endif
