/* Configuration shared by every command: defaults, then an optional config file, then
 * environment variables (PARLEY_PORT, PARLEY_DATA, PARLEY_DB), then command-line flags. */
#ifndef PARLEY_UTIL_CONFIG_H
#define PARLEY_UTIL_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

struct config {
    int port;
    int threads;        /* HTTP worker threads; 0 means one per core */
    char bind[64];      /* listen address */
    char data_dir[1024];
    char db_url[1024];  /* empty: SQLite in data_dir */
    char web_dir[1024]; /* the built web UI; empty: next to the binary or ./web/dist */
    char trusted_proxies[512]; /* addresses/CIDRs whose X-Forwarded-For is believed (http/proxy.h) */
};

/* An extra option a command accepts besides the shared ones ("--email"). */
struct config_opt {
    const char *name;   /* without the leading dashes */
    const char **value; /* set to the argument (points into argv) */
};

/* Fills c from defaults, the config file (--config FILE or PARLEY_CONFIG), the environment and
 * argv (flags as "--name value" or "--name=value"). extra lists the command's own options
 * (may be NULL, ended by a NULL name). Positional arguments are left in *pos (pointing into argv,
 * count in *npos, at most maxpos). On error writes a one-line message to err and returns false. */
bool config_load(struct config *c, int argc, char **argv, const struct config_opt *extra,
                 const char **pos, int maxpos, int *npos, char *err, size_t errlen);

#endif
