/* Parsing of URL query strings (a=1&b=x%20y) with percent and '+' decoding. */
#ifndef PARLEY_HTTP_QUERY_H
#define PARLEY_HTTP_QUERY_H
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define QUERY_MAX_PARAMS 64

/* Splits qs into at most QUERY_MAX_PARAMS decoded pairs allocated in arena; a key without '='
 * gets the value "". Returns false (and no pairs) when the text is malformed: a bad %-escape,
 * a NUL byte after decoding, or too many parameters. */
bool query_parse(const char *qs, size_t len, struct arena *arena, struct query_param **out, int *count);
/* Decodes %XX escapes (and '+' as space when plus_space) of s[0..len) into arena memory;
 * NULL when an escape is malformed or decodes to NUL. */
char *url_decode(const char *s, size_t len, bool plus_space, struct arena *arena);

#endif
