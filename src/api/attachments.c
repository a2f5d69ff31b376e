/* Attachments: streamed multipart upload into the blob store (10 MiB, checked while reading),
 * download for those who may see the ticket, list per ticket. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "attachments/attachments.h"
#include "events/bus.h"
#include "http/multipart.h"
#include "store/blobs.h"
#include "util/filetype.h"

#define SNIFF_BYTES 4096

enum { STOP_TOO_LARGE = 1, STOP_IO, STOP_INVALID };

struct upload {
    struct request *r;
    struct multipart mp;
    struct blob_writer blob;
    bool started, in_file, have_file, committed, internal;
    int64_t ticket_id;
    char field[16], value[16];      /* the current non-file part and its value */
    size_t value_len;
    struct attachment a;
    char declared[128];
    unsigned char head[SNIFF_BYTES];
    size_t head_len;
    char problem[300];
};

static int part_begin(void *ctx, const char *name, const char *filename, const char *content_type)
{
    struct upload *u = ctx;
    if (strcmp(name, "file") != 0) {
        snprintf(u->field, sizeof u->field, "%s", name);
        u->value_len = 0;
        return 0;
    }
    if (u->have_file) {
        snprintf(u->problem, sizeof u->problem, "send one file per request");
        return STOP_INVALID;
    }
    if (!filename || !*filename || strlen(filename) > ATTACHMENT_NAME_MAX) {
        snprintf(u->problem, sizeof u->problem, "the file needs a name of 1 to %d characters", ATTACHMENT_NAME_MAX);
        return STOP_INVALID;
    }
    /* keep the last path segment only: some browsers send C:\path\name */
    const char *base = filename;
    for (const char *p = filename; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    snprintf(u->a.filename, sizeof u->a.filename, "%s", *base ? base : "file");
    snprintf(u->declared, sizeof u->declared, "%s", content_type ? content_type : "");
    char err[256];
    if (!blob_begin(&u->blob, u->r->app->cfg.data_dir, err, sizeof err)) {
        snprintf(u->problem, sizeof u->problem, "%s", err);
        return STOP_IO;
    }
    u->in_file = u->have_file = true;
    return 0;
}

static int part_data(void *ctx, const char *data, size_t len)
{
    struct upload *u = ctx;
    if (!u->in_file) {
        /* small form fields (internal=true); longer values are not ours and are dropped */
        size_t n = len < sizeof u->value - 1 - u->value_len ? len : sizeof u->value - 1 - u->value_len;
        memcpy(u->value + u->value_len, data, n);
        u->value_len += n;
        u->value[u->value_len] = 0;
        return 0;
    }
    if ((uint64_t)u->a.size + len > ATTACHMENT_MAX)
        return STOP_TOO_LARGE;
    if (u->head_len < SNIFF_BYTES) {
        size_t n = len < SNIFF_BYTES - u->head_len ? len : SNIFF_BYTES - u->head_len;
        memcpy(u->head + u->head_len, data, n);
        u->head_len += n;
    }
    u->a.size += (int64_t)len;
    return blob_write(&u->blob, data, len) ? 0 : STOP_IO;
}

static int part_end(void *ctx)
{
    struct upload *u = ctx;
    if (!u->in_file && strcmp(u->field, "internal") == 0)
        u->internal = strcmp(u->value, "true") == 0 || strcmp(u->value, "1") == 0;
    u->in_file = false;
    u->field[0] = 0;
    return 0;
}

static const struct multipart_callbacks callbacks = {part_begin, part_data, part_end};

static void upload_cleanup(struct request *r)
{
    struct upload *u = r->stream;
    blob_abort(&u->blob);
    multipart_free(&u->mp);
}

/* The first chunk: the ticket must be visible and the body multipart before anything is stored. */
static enum err upload_start(struct request *r, struct upload *u)
{
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    enum err e = in_path_id(r, 0, &u->ticket_id);
    if (e)
        return e;
    if ((e = tickets_access(req_db(r), r->me, u->ticket_id, NULL)))
        return req_fail(r, e, NULL, "no such ticket");
    if (!multipart_boundary(req_header(r, "Content-Type"), boundary))
        return req_fail(r, ERR_UNSUPPORTED, NULL, "send the file as multipart/form-data in a field named file");
    u->blob.fd = -1;
    multipart_init(&u->mp, boundary, &callbacks, u);
    u->started = true;
    r->cleanup = upload_cleanup;
    return ERR_OK;
}

enum err api_attachments_chunk(struct request *r, const char *data, size_t len)
{
    struct upload *u = r->stream;
    if (!u) {
        u = r->stream = arena_calloc(&r->arena, 1, sizeof *u);
        u->r = r;
        enum err e = upload_start(r, u);
        if (e)
            return e;
    }
    int rc = multipart_feed(&u->mp, data, len);
    if (rc == STOP_TOO_LARGE)
        return req_fail(r, ERR_TOO_LARGE, "file", "a file may have at most %d MiB", ATTACHMENT_MAX / (1024 * 1024));
    if (rc == STOP_IO)
        return req_fail(r, ERR_INTERNAL, NULL, "%s", u->problem);
    if (rc == STOP_INVALID)
        return req_fail(r, ERR_VALIDATION, "file", "%s", u->problem);
    if (rc < 0)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "%s", u->mp.error);
    return ERR_OK;
}

enum err api_attachments_upload(struct request *r)
{
    struct upload *u = r->stream;
    if (!u && api_attachments_chunk(r, "", 0))
        return r->err;
    u = r->stream;
    if (multipart_finish(&u->mp) < 0)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "%s", u->mp.error);
    if (!u->have_file)
        return req_fail(r, ERR_VALIDATION, "file", "file is required (a multipart field named file)");
    char err[256];
    if (!blob_commit(&u->blob, u->a.sha256, err, sizeof err))
        return req_fail(r, ERR_INTERNAL, NULL, "%s", err);
    filetype_sniff(r->app->filetype, u->head, u->head_len, u->a.content_type, sizeof u->a.content_type);
    u->a.internal = u->internal;
    struct failure f;
    struct ticket_ref ref;
    struct db *db = req_db(r);
    enum err e = attachments_record(db, r->me, r->client_ip, u->ticket_id, &u->a, u->declared, &ref, &f);
    if (e) {
        /* no orphan: the bytes go unless another record shares them */
        if (!attachments_blob_used(db, u->a.sha256))
            blob_remove(r->app->cfg.data_dir, u->a.sha256);
        return req_failure(r, e, &f);
    }
    struct bus_audience to = {.ticket_requester_id = ref.requester_id, .staff_only = u->a.internal};
    json_t *data = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)ref.id, "version", (json_int_t)ref.version);
    bus_publish(r->app->bus, "ticket.updated", &to, data, NULL);
    json_decref(data);
    return req_json(r, 201, attachments_json(&u->a));
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

/* filename as a quoted-string with only printable ASCII, and as RFC 5987 UTF-8. */
static const char *disposition(struct request *r, const char *filename)
{
    struct strbuf plain, encoded;
    strbuf_init(&plain, 0);
    strbuf_init(&encoded, 0);
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        strbuf_addc(&plain, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_');
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_~", *p))
            strbuf_addc(&encoded, (char)*p);
        else
            strbuf_addf(&encoded, "%%%02X", *p);
    }
    const char *out = arena_printf(&r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                   plain.data ? plain.data : "file", encoded.data ? encoded.data : "file");
    strbuf_free(&plain);
    strbuf_free(&encoded);
    return out;
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
    uint64_t size;
    int fd = blob_open(r->app->cfg.data_dir, a.sha256, &size);
    if (fd < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "the stored file is missing");
    r->file_fd = fd;
    r->file_size = (int64_t)size;
    r->status = 200;
    r->content_type = arena_strdup(&r->arena, a.content_type);
    req_add_header(r, "Content-Disposition", disposition(r, a.filename));
    req_add_header(r, "Cache-Control", "private, no-store");
    return ERR_OK;
}
