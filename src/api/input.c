#include "api/input.h"

#include "users/principal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *field(struct request *r, const char *key)
{
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    return json_is_null(v) ? NULL : v;
}

enum err in_string(struct request *r, const char *key, bool required, size_t max, const char **out)
{
    json_t *v = field(r, key);
    *out = NULL;
    if (!v)
        return required ? req_fail(r, ERR_VALIDATION, key, "%s is required", key) : ERR_OK;
    if (!json_is_string(v))
        return req_fail(r, ERR_VALIDATION, key, "%s must be a string", key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return req_fail(r, ERR_VALIDATION, key, "%s must not contain NUL characters", key);
    if (len > max)
        return req_fail(r, ERR_VALIDATION, key, "%s must have at most %zu characters", key, max);
    bool blank = true;
    for (size_t i = 0; i < len && blank; i++)
        blank = isspace((unsigned char)s[i]) != 0;
    if (required && blank)
        return req_fail(r, ERR_VALIDATION, key, "%s must not be empty", key);
    *out = s;
    return ERR_OK;
}

enum err in_bool(struct request *r, const char *key, bool *present, bool *out)
{
    json_t *v = field(r, key);
    *present = v != NULL;
    if (!v)
        return ERR_OK;
    if (!json_is_boolean(v))
        return req_fail(r, ERR_VALIDATION, key, "%s must be true or false", key);
    *out = json_is_true(v);
    return ERR_OK;
}

enum err in_int(struct request *r, const char *key, int64_t min, int64_t max, bool *present, int64_t *out)
{
    json_t *v = field(r, key);
    *present = v != NULL;
    if (!v)
        return ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return req_fail(r, ERR_VALIDATION, key, "%s must be a whole number from %lld to %lld", key, (long long)min,
                        (long long)max);
    *out = json_integer_value(v);
    return ERR_OK;
}

enum err in_array(struct request *r, const char *key, json_t **out)
{
    json_t *v = field(r, key);
    *out = NULL;
    if (!v)
        return ERR_OK;
    if (!json_is_array(v))
        return req_fail(r, ERR_VALIDATION, key, "%s must be a list", key);
    *out = v;
    return ERR_OK;
}

/* Parses a decimal id in 1..INT64_MAX; false when s is anything else. */
static bool parse_id(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

enum err in_path_id(struct request *r, int i, int64_t *out)
{
    if (!parse_id(r->params[i], out))
        return req_fail(r, ERR_NOT_FOUND, NULL, "not found");
    return ERR_OK;
}

enum err in_page(struct request *r, int *limit, int64_t *cursor)
{
    const char *l = req_query(r, "limit"), *c = req_query(r, "cursor");
    int64_t v = 50;
    if (l && (!parse_id(l, &v) || v > 200))
        return req_fail(r, ERR_BAD_REQUEST, "limit", "limit must be a whole number from 1 to 200");
    *limit = (int)v;
    *cursor = 0;
    if (c && *c && !parse_id(c, cursor))
        return req_fail(r, ERR_BAD_REQUEST, "cursor", "cursor is not one this server gave out");
    return ERR_OK;
}

enum err out_page(struct request *r, json_t *items, int limit)
{
    json_t *next = json_null();
    size_t n = json_array_size(items);
    if (n == (size_t)limit && n > 0) {
        json_t *id = json_object_get(json_array_get(items, n - 1), "id");
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(id));
        next = json_string(buf);
    }
    return req_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

struct actor req_actor(struct request *r)
{
    struct actor a = {.user_id = r->me ? r->me->user_id : 0, .ip = r->client_ip};
    return a;
}
