/* /api/v1/tickets/{id}/resolution: the customer's answer to an automated answer, and its state. */
#include "api/ai_routes.h"
#include "api/input.h"
#include "app.h"
#include "assist/autoresolve.h"

enum err api_ai_resolution_answer(struct request *r)
{
    int64_t id;
    bool present, helped;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_bool(r, "helped", &present, &helped)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "helped", "helped is required (true or false)");
    struct failure f;
    json_t *out;
    if ((e = assist_resolution_answer(req_db(r), r->app->bus, r->me, r->client_ip, id, helped, &out, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 200, out);
}

enum err api_ai_resolution_get(struct request *r)
{
    int64_t id;
    enum err e;
    if ((e = api_ai_visible_ticket(r, &id)))
        return e;
    json_t *out = assist_resolution_get(req_db(r), id, &e);
    if (!out)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "the ticket has no automated answer" : "could not read it");
    return req_json(r, 200, out);
}
