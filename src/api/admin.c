/* /api/v1/admin: runtime settings and the security audit log. */
#include <stdlib.h>

#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "audit/audit.h"
#include "users/principal.h"
#include "util/timeutil.h"

enum err api_settings_get(struct request *r)
{
    struct settings s = settings_get(&r->app->settings, req_db(r));
    return req_json(r, 200, settings_to_json(&s));
}

enum err api_settings_patch(struct request *r)
{
    if (!r->json)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "send a JSON object of the settings to change");
    struct failure f;
    enum err e = settings_patch(&r->app->settings, req_db(r), r->json, r->me->user_id, r->client_ip, &f);
    if (e)
        return req_failure(r, e, &f);
    return api_settings_get(r);
}

/* Reads an optional RFC 3339 time parameter. */
static enum err time_param(struct request *r, const char *key, int64_t *out)
{
    const char *v = req_query(r, key);
    *out = 0;
    if (v && !time_parse(v, out))
        return req_fail(r, ERR_BAD_REQUEST, key, "%s must be an RFC 3339 time such as 2026-11-25T01:43:02Z", key);
    return ERR_OK;
}

/* Reads an optional id parameter (0 when absent); 400 when it is not a whole number. */
static enum err id_param(struct request *r, const char *key, int64_t *out)
{
    const char *v = req_query(r, key);
    char *end = NULL;
    *out = 0;
    if (v && (!*v || (*out = strtoll(v, &end, 10)) < 0 || *end))
        return req_fail(r, ERR_BAD_REQUEST, key, "%s must be a whole number", key);
    return ERR_OK;
}

enum err api_audit_list(struct request *r)
{
    struct audit_filter f = {.action = req_query(r, "action"), .target_type = req_query(r, "target_type")};
    enum err e;
    int64_t cursor;
    if ((e = in_page(r, &f.limit, &cursor)) || (e = time_param(r, "since", &f.since)) ||
        (e = time_param(r, "until", &f.until)) || (e = id_param(r, "actor_id", &f.actor_id)) ||
        (e = id_param(r, "target_id", &f.target_id)))
        return e;
    f.before_id = cursor;
    json_t *items = audit_list(req_db(r), &f);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not read the audit log");
    return out_page(r, items, f.limit);
}
