/* The libmicrohttpd adapter: runs the route table on an epoll thread pool until SIGTERM/SIGINT. */
#ifndef PARLEY_HTTP_SERVER_H
#define PARLEY_HTTP_SERVER_H
#include <stddef.h>

#include "http/router.h"

struct app;

/* Serves app's routes on app->cfg.bind:port until SIGTERM or SIGINT, then stops accepting,
 * lets in-flight requests finish (10 s at most) and returns 0; non-zero when it cannot start.
 * The caller must have blocked SIGTERM and SIGINT in every thread (server_block_signals). */
int server_run(struct app *app, const struct route *routes, size_t nroutes);
/* Blocks SIGTERM and SIGINT (for sigwait) and ignores SIGPIPE; call before any thread starts. */
void server_block_signals(void);

#endif
