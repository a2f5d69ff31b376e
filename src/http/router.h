/* The declarative route table: method, path pattern with {name} segments, handler,
 * required permission and body limit. Matching is independent of the server. */
#ifndef PARLEY_HTTP_ROUTER_H
#define PARLEY_HTTP_ROUTER_H
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define ROUTE_DEFAULT_MAX_BODY (1024 * 1024)

/* Who may call a route; checked in one place before the handler runs. */
enum perm {
    PERM_PUBLIC,        /* anyone, signed in or not */
};

typedef enum err (*route_handler)(struct request *r);

struct route {
    const char *method;     /* "GET", "POST", … */
    const char *pattern;    /* "/api/v1/tickets/{id}" */
    route_handler handler;
    enum perm perm;
    size_t max_body;        /* bytes; 0 means ROUTE_DEFAULT_MAX_BODY */
};

/* The route whose method and pattern match; fills params with the {name} values (pointing into
 * arena copies). NULL when none matches; then *path_known says whether another method would. */
const struct route *router_match(const struct route *table, size_t n, const char *method,
                                 const char *path, struct arena *arena,
                                 const char *params[REQ_MAX_PARAMS], bool *path_known);
/* The body limit of a route. */
size_t route_max_body(const struct route *rt);

#endif
