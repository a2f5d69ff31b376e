/* /api/v1/macros: response templates with placeholders and ticket actions. */
#include <stdlib.h>

#include "api/input.h"
#include "api/macros_routes.h"
#include "app.h"
#include "events/bus.h"
#include "macros/apply.h"
#include "macros/macros.h"
#include "macros/render.h"

enum err api_macros_list(struct request *r)
{
    int limit;
    int64_t cursor;
    enum err e = in_page(r, &limit, &cursor);
    if (e)
        return e;
    json_t *items = macros_list(req_db(r), r->me, cursor, limit);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list macros");
    /* a full page has a next one: its cursor is the last id, as text (as out_page writes it) */
    json_t *last = json_array_size(items) == (size_t)limit ? json_array_get(items, (size_t)limit - 1) : NULL;
    json_t *next = last ? json_sprintf("%lld", (long long)json_integer_value(json_object_get(last, "id"))) : json_null();
    json_t *out = json_pack("{s:o, s:o, s:o}", "items", items, "next_cursor", next, "placeholders", macro_placeholders());
    return req_json(r, 200, out);
}

/* Answers with macro id as the caller sees it. */
static enum err answer_macro(struct request *r, int status, int64_t id)
{
    enum err e;
    json_t *m = macros_get(req_db(r), r->me, id, &e);
    if (!m)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such macro" : "could not read the macro");
    return req_json(r, status, m);
}

enum err api_macros_create(struct request *r)
{
    struct failure f;
    int64_t id;
    enum err e = macros_create(req_db(r), r->me, r->json, &id, &f);
    return e ? req_failure(r, e, &f) : answer_macro(r, 201, id);
}

enum err api_macros_update(struct request *r)
{
    int64_t id;
    struct failure f;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = macros_update(req_db(r), r->me, id, r->json, &f)))
        return req_failure(r, e, &f);
    return answer_macro(r, 200, id);
}

enum err api_macros_delete(struct request *r)
{
    int64_t id;
    struct failure f;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = macros_delete(req_db(r), r->me, id, &f)))
        return req_failure(r, e, &f);
    return req_empty(r, 204);
}

enum err api_macros_apply(struct request *r)
{
    int64_t id, ticket_id;
    bool present, has_version;
    struct if_match cond = {0};
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_int(r, "ticket_id", 1, INT64_MAX, &present, &ticket_id)) ||
        (e = in_int(r, "version", 1, INT64_MAX, &has_version, &cond.version)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "ticket_id", "ticket_id is required");
    struct failure f;
    struct ticket_ref ref = {0};
    char *body = NULL;
    if ((e = macros_apply(req_db(r), r->me, r->client_ip, id, ticket_id, &cond, &body, &ref, &f)))
        return req_failure(r, e, &f);
    json_t *ticket = tickets_get(req_db(r), r->me, ticket_id, &e);
    json_t *brief = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)ref.id, "version", (json_int_t)ref.version);
    struct bus_audience to = {.ticket_requester_id = ref.requester_id};
    bus_publish(r->app->bus, "ticket.updated", &to, ticket ? ticket : brief, brief);
    json_decref(brief);
    json_t *out = json_pack("{s:s, s:o}", "body", body, "ticket", ticket ? ticket : json_null());
    free(body);
    return req_json(r, 200, out);
}
