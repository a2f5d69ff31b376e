#include <stdio.h>
#include <stdlib.h>

#include "api/routes.h"
#include "app.h"
#include "cli/cli.h"
#include "http/server.h"
#include "jobs/scheduler.h"

int cmd_serve(int argc, char **argv)
{
    struct app app = {0};
    const char *pos[1];
    int npos;
    if (!cli_config(&app.cfg, argc - 1, argv + 1, NULL, pos, 0, &npos))
        return EXIT_USAGE;
    server_block_signals();
    char err[512];
    int rc = EXIT_FAIL;
    if (!app_open(&app, err, sizeof err)) {
        fprintf(stderr, "parley: %s\n", err);
    } else {
        size_t nroutes;
        struct route *routes = api_routes_all(&nroutes);
        struct scheduler *jobs = scheduler_start(&app);
        rc = server_run(&app, routes, nroutes) == 0 ? EXIT_OK : EXIT_FAIL;
        scheduler_stop(jobs);
        free(routes);
    }
    app_close(&app);
    return rc;
}
