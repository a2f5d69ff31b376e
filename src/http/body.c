#include "http/body.h"

#include <stdio.h>

json_t *body_parse_json(const char *data, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        snprintf(err, errlen, "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        snprintf(err, errlen, "the body must be a JSON object");
        json_decref(v);
        return NULL;
    }
    return v;
}
