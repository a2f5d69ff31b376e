/* Parsing of JSON request bodies. */
#ifndef PARLEY_HTTP_BODY_H
#define PARLEY_HTTP_BODY_H
#include <jansson.h>
#include <stddef.h>

/* Parses data[0..len) as one JSON object (duplicate keys and non-UTF-8 refused). Returns a new
 * reference the caller owns, or NULL with a one-line reason (line and column) in err. */
json_t *body_parse_json(const char *data, size_t len, char *err, size_t errlen);

#endif
