/* /api/v1/api-keys: the caller's own API keys. */
#include "api/handlers.h"
#include "api/input.h"
#include "users/apikeys.h"
#include "users/principal.h"

enum err api_keys_create(struct request *r)
{
    const char *name;
    enum err e = in_string(r, "name", true, APIKEY_NAME_MAX, &name);
    if (e)
        return e;
    char token[APIKEY_TOKEN_CHARS + 1];
    int64_t id;
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = apikeys_create(req_db(r), &by, name, token, &id, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "token", token));
}

enum err api_keys_list(struct request *r)
{
    json_t *items = apikeys_list(req_db(r), r->me->user_id);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list keys");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_keys_delete(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    struct actor by = req_actor(r);
    if ((e = apikeys_revoke(req_db(r), &by, id)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such key" : "could not revoke the key");
    return req_empty(r, 204);
}
