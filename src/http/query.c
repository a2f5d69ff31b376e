#include "http/query.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *url_decode(const char *s, size_t len, bool plus_space, struct arena *arena)
{
    char *out = arena_alloc(arena, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return NULL;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            *o++ = ' ';
        } else if (c == 0) {
            return NULL;
        } else {
            *o++ = c;
        }
    }
    *o = 0;
    return out;
}

bool query_parse(const char *qs, size_t len, struct arena *arena, struct query_param **out, int *count)
{
    *out = NULL;
    *count = 0;
    struct query_param *params = arena_calloc(arena, QUERY_MAX_PARAMS, sizeof *params);
    int n = 0;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && qs[end] != '&')
            end++;
        if (end > i) {
            if (n == QUERY_MAX_PARAMS)
                return false;
            const char *eq = memchr(qs + i, '=', end - i);
            size_t klen = eq ? (size_t)(eq - (qs + i)) : end - i;
            char *key = url_decode(qs + i, klen, true, arena);
            char *val = eq ? url_decode(eq + 1, (size_t)(qs + end - eq - 1), true, arena) : arena_strdup(arena, "");
            if (!key || !val)
                return false;
            params[n].key = key;
            params[n++].value = val;
        }
        i = end + 1;
    }
    *out = params;
    *count = n;
    return true;
}
