/* Attachments: streamed multipart upload into the blob store (10 MiB, checked while reading),
 * download for those who may see the ticket, list per ticket. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/input.h"
#include "api/upload.h"
#include "app.h"
#include "attachments/attachments.h"
#include "events/bus.h"

enum err api_attachments_chunk(struct request *r, const char *data, size_t len)
{
    struct upload *u = r->stream;
    if (!u) {
        /* the first chunk: the ticket must be visible before anything is stored */
        int64_t ticket_id;
        enum err e = in_path_id(r, 0, &ticket_id);
        if (e)
            return e;
        if ((e = tickets_access(req_db(r), r->me, ticket_id, NULL)))
            return req_fail(r, e, NULL, "no such ticket");
        if (!(u = upload_begin(r)))
            return r->err;
        u->owner_id = ticket_id;
    }
    return upload_feed(u, data, len);
}

enum err api_attachments_upload(struct request *r)
{
    struct upload *u = r->stream;
    if (!u && api_attachments_chunk(r, "", 0))
        return r->err;
    u = r->stream;
    if (upload_finish(u))
        return r->err;
    const char *internal = upload_field(u, "internal");
    struct attachment a = {.size = u->size,
                           .internal = internal && (strcmp(internal, "true") == 0 || strcmp(internal, "1") == 0)};
    snprintf(a.filename, sizeof a.filename, "%s", u->filename);
    snprintf(a.content_type, sizeof a.content_type, "%s", u->content_type);
    snprintf(a.sha256, sizeof a.sha256, "%s", u->sha256);
    struct failure f;
    struct ticket_ref ref;
    enum err e = attachments_record(req_db(r), r->me, r->client_ip, u->owner_id, &a, u->declared, &ref, &f);
    if (e) {
        upload_discard(u);
        return req_failure(r, e, &f);
    }
    struct bus_audience to = {.ticket_requester_id = ref.requester_id, .staff_only = a.internal};
    json_t *data = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)ref.id, "version", (json_int_t)ref.version);
    bus_publish(r->app->bus, "ticket.updated", &to, data, NULL);
    json_decref(data);
    return req_json(r, 201, attachments_json(&a));
}

enum err api_attachments_list(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = tickets_access(req_db(r), r->me, id, NULL)))
        return req_fail(r, e, NULL, "no such ticket");
    json_t *items = attachments_list(req_db(r), r->me, id);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list attachments");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_attachments_download(struct request *r)
{
    int64_t id;
    struct attachment a;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = attachments_get(req_db(r), r->me, id, &a)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such attachment" : "could not read the attachment");
    return upload_send(r, a.sha256, a.content_type, a.filename, false);
}
