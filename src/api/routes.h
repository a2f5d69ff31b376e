/* The API's route tables: one group per area (routes.c holds the core; kb_routes.c and later
 * areas add their own), joined in match order when the server starts. */
#ifndef PARLEY_API_ROUTES_H
#define PARLEY_API_ROUTES_H
#include <stddef.h>

#include "http/router.h"

/* One line per route: method, pattern, handler, permission (and the variants with a rate class
 * or flags). tests/api/authz.test.mjs reads these lines to check every route for every role. */
#define R(method, pattern, handler, perm) {method, pattern, handler, perm, 0, RATE_NONE, 0, NULL}
#define R_RATE(method, pattern, handler, perm, rate) {method, pattern, handler, perm, 0, rate, 0, NULL}
#define R_FLAGS(method, pattern, handler, perm, flags) {method, pattern, handler, perm, 0, RATE_NONE, flags, NULL}
#define R_STREAM(method, pattern, handler, perm, max_body, rate, chunk) {method, pattern, handler, perm, max_body, rate, 0, chunk}

/* A table of routes of one area. */
struct route_group {
    const struct route *routes;
    size_t count;
};

/* Every route the server answers, in match order, in one new array (caller frees); its length
 * in *count. */
struct route *api_routes_all(size_t *count);

#endif
