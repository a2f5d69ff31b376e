#include "http/router.h"

#include <string.h>

/* Matches path against pattern segment by segment; {x} takes one non-empty segment. */
static bool match(const char *pattern, const char *path, struct arena *arena,
                  const char *params[REQ_MAX_PARAMS])
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t len = strcspn(s, "/");
            if (!close || len == 0 || np >= REQ_MAX_PARAMS)
                return false;
            params[np++] = arena_strndup(arena, s, len);
            p = close + 1;
            s += len;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *p == 0 && *s == 0;
}

const struct route *router_match(const struct route *table, size_t n, const char *method,
                                 const char *path, struct arena *arena,
                                 const char *params[REQ_MAX_PARAMS], bool *path_known)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    *path_known = false;
    for (size_t i = 0; i < n; i++) {
        if (!match(table[i].pattern, path, arena, params))
            continue;
        if (strcmp(table[i].method, m) == 0)
            return &table[i];
        *path_known = true;
    }
    return NULL;
}

size_t route_max_body(const struct route *rt)
{
    return rt && rt->max_body ? rt->max_body : ROUTE_DEFAULT_MAX_BODY;
}
