/* /api/v1/views: saved ticket views with live counts. */
#include <stdio.h>
#include <stdlib.h>

#include "api/handlers.h"
#include "api/input.h"
#include "tickets/views.h"

enum err api_views_list(struct request *r)
{
    json_t *items = views_list(req_db(r), r->me);
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_views_create(struct request *r)
{
    const char *name;
    bool present, shared = false;
    enum err e;
    if ((e = in_string(r, "name", true, 100, &name)) || (e = in_bool(r, "shared", &present, &shared)))
        return e;
    json_t *filters = json_object_get(r->json, "filters");
    struct failure f;
    int64_t id;
    if ((e = views_create(req_db(r), r->me, name, filters, shared, &id, &f)))
        return req_failure(r, e, &f);
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return req_json(r, 201, json_pack("{s:s, s:s, s:O, s:b}", "id", key, "name", name, "filters", filters, "shared", shared));
}

enum err api_views_delete(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = views_delete(req_db(r), r->me, id)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such view" : "could not delete the view");
    return req_empty(r, 204);
}

enum err api_views_tickets(struct request *r)
{
    json_t *filters = views_filters(req_db(r), r->me, r->params[0]);
    if (!filters)
        return req_fail(r, ERR_NOT_FOUND, NULL, "no such view");
    struct ticket_filter flt;
    struct failure f;
    enum err e = ticket_filter_from_json(filters, r->me, &flt, &f);
    if (!e) {
        flt.cursor = req_query(r, "cursor");
        const char *l = req_query(r, "limit");
        flt.limit = l ? atoi(l) : 50;
        if (flt.limit < 1 || flt.limit > 200)
            e = fail(&f, ERR_BAD_REQUEST, "limit", "limit must be a whole number from 1 to 200");
    }
    char *next = NULL;
    json_t *items = e ? NULL : tickets_list(req_db(r), r->me, &flt, &next, &f);
    json_decref(filters);
    if (!items)
        return req_failure(r, e ? e : ERR_INTERNAL, &f);
    json_t *out = json_pack("{s:o, s:o}", "items", items, "next_cursor", next ? json_string(next) : json_null());
    free(next);
    return req_json(r, 200, out);
}
