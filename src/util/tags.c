#include "util/tags.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum err tags_normalize(json_t *in, size_t max_tags, size_t max_len, const char *field, json_t **out,
                        struct failure *f)
{
    *out = NULL;
    if (!json_is_array(in) || json_array_size(in) > max_tags)
        return fail(f, ERR_VALIDATION, field, "%s must be a list of at most %zu tags", field, max_tags);
    json_t *tags = json_array();
    char *tag = malloc(max_len + 1);
    if (!tag)
        abort();
    size_t i;
    json_t *v;
    json_array_foreach(in, i, v) {
        const char *s = json_string_value(v);
        if (!s)
            goto bad;
        while (isspace((unsigned char)*s))
            s++;
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len == 0 || len > max_len)
            goto bad;
        for (size_t k = 0; k < len; k++) {
            if (s[k] == ',' || (unsigned char)s[k] < 0x20)
                goto bad;
            tag[k] = (char)tolower((unsigned char)s[k]);
        }
        tag[len] = 0;
        bool dup = false;
        size_t j;
        json_t *w;
        json_array_foreach(tags, j, w) dup |= strcmp(json_string_value(w), tag) == 0;
        if (!dup)
            json_array_append_new(tags, json_string(tag));
    }
    free(tag);
    *out = tags;
    return ERR_OK;
bad:
    free(tag);
    json_decref(tags);
    return fail(f, ERR_VALIDATION, field, "each tag must be a text of 1 to %zu characters without commas", max_len);
}
