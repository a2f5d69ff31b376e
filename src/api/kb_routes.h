/* The knowledge base's route table (kb_routes.c), for the groups of api/routes.c. */
#ifndef PARLEY_API_KB_ROUTES_H
#define PARLEY_API_KB_ROUTES_H
#include <stddef.h>

#include "http/router.h"

/* The number of knowledge-base routes: a constant, so that routes.c can use it in a static
 * table; kb_routes.c fails to compile when it does not match the table. */
enum { KB_ROUTES_COUNT = 18 };
extern const struct route kb_routes[KB_ROUTES_COUNT];
#define kb_routes_count ((size_t)KB_ROUTES_COUNT)

#endif
