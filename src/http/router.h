/* The declarative route table: method, path pattern with {name} segments, handler,
 * required permission and body limit. Matching is independent of the server. */
#ifndef PARLEY_HTTP_ROUTER_H
#define PARLEY_HTTP_ROUTER_H
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "users/roles.h"

#define ROUTE_DEFAULT_MAX_BODY (1024 * 1024)


typedef enum err (*route_handler)(struct request *r);

/* The rate limit a route counts against. */
enum rate_class { RATE_NONE, RATE_TICKET_CREATE, RATE_TICKET_UPDATE };

/* Route flags. */
enum {
    ROUTE_2FA_SETUP = 1,    /* reachable by staff who must still set up two-factor authentication */
};

struct route {
    const char *method;     /* "GET", "POST", … */
    const char *pattern;    /* "/api/v1/tickets/{id}" */
    route_handler handler;
    enum perm perm;         /* checked in one place before the handler runs */
    size_t max_body;        /* bytes; 0 means ROUTE_DEFAULT_MAX_BODY */
    enum rate_class rate;
    unsigned flags;
    /* When set, the body is not buffered: each chunk goes here as it arrives (after the caller
     * was authenticated), and the handler runs once it has all arrived. An error stops the
     * upload and is the answer. */
    enum err (*body_chunk)(struct request *r, const char *data, size_t len);
};

/* The route whose method and pattern match; fills params with the {name} values (pointing into
 * arena copies). NULL when none matches; then *path_known says whether another method would. */
const struct route *router_match(const struct route *table, size_t n, const char *method,
                                 const char *path, struct arena *arena,
                                 const char *params[REQ_MAX_PARAMS], bool *path_known);
/* The body limit of a route. */
size_t route_max_body(const struct route *rt);

#endif
