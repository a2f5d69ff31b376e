/* Satisfaction ratings, merging tickets, and the live event stream. */
#include <stdio.h>

#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "events/bus.h"
#include "tickets/extras.h"
#include "tickets/tickets.h"
#include "users/principal.h"

enum err api_tickets_rate(struct request *r)
{
    int64_t id, score;
    bool present;
    const char *comment;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_int(r, "score", 1, 5, &present, &score)) ||
        (e = in_string(r, "comment", false, 5000, &comment)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "score", "score is required (1 to 5)");
    struct failure f;
    if ((e = tickets_rate(req_db(r), r->me, r->client_ip, id, (int)score, comment, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, json_pack("{s:I, s:I, s:s?}", "ticket_id", (json_int_t)id, "score", (json_int_t)score,
                                      "comment", comment));
}

enum err api_tickets_merge(struct request *r)
{
    int64_t id, into;
    bool present;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_int(r, "into", 1, INT64_MAX, &present, &into)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "into", "into is required: the ticket to merge this one into");
    struct failure f;
    struct ticket_ref source, target;
    if ((e = tickets_merge(req_db(r), r->me, r->client_ip, id, into, &source, &target, &f)))
        return req_failure(r, e, &f);
    struct bus_audience to_source = {.ticket_requester_id = source.requester_id},
                        to_target = {.ticket_requester_id = target.requester_id};
    json_t *a = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)source.id, "version", (json_int_t)source.version);
    json_t *b = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)target.id, "version", (json_int_t)target.version);
    bus_publish(r->app->bus, "ticket.updated", &to_source, a, NULL);
    bus_publish(r->app->bus, "ticket.updated", &to_target, b, NULL);
    json_decref(a);
    json_decref(b);
    json_t *t = tickets_get(req_db(r), r->me, into, &e);
    return t ? req_json(r, 200, t) : req_fail(r, e, NULL, "could not read the merged ticket");
}

enum err api_events_stream(struct request *r)
{
    r->event_stream = true;
    r->status = 200;
    r->content_type = "text/event-stream; charset=utf-8";
    return ERR_OK;
}
