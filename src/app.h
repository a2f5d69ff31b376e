/* The one object that holds the server's long-lived state, passed down to every handler. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H
#include "util/config.h"

struct db_pool;

struct app {
    struct config cfg;
    struct db_pool *pool;   /* owned */
};

#endif
