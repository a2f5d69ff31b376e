/* Tag lists as tickets and knowledge-base articles take them: trimmed, lower-case, unique. */
#ifndef PARLEY_UTIL_TAGS_H
#define PARLEY_UTIL_TAGS_H
#include <jansson.h>
#include <stddef.h>

#include "util/error.h"

/* Normalises in (a JSON array of strings) into a new array in *out (caller owns): each tag
 * trimmed and lower-cased, duplicates dropped. ERR_VALIDATION naming `field` when in is not a
 * list of at most max_tags texts of 1 to max_len bytes without commas or control characters. */
enum err tags_normalize(json_t *in, size_t max_tags, size_t max_len, const char *field, json_t **out,
                        struct failure *f);

#endif
