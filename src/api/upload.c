#include "api/upload.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "util/filetype.h"

enum { STOP_TOO_LARGE = 1, STOP_IO, STOP_INVALID };

static int part_begin(void *ctx, const char *name, const char *filename, const char *content_type)
{
    struct upload *u = ctx;
    if (strcmp(name, "file") != 0) {
        u->field = -1;
        if (u->nfields < UPLOAD_FIELDS && strlen(name) < sizeof u->fields[0].name) {
            u->field = u->nfields++;
            strcpy(u->fields[u->field].name, name);
            u->fields[u->field].value[0] = 0;
        }
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
    snprintf(u->filename, sizeof u->filename, "%s", *base ? base : "file");
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
        /* small form fields; longer values are not ours and are cut */
        if (u->field < 0)
            return 0;
        char *v = u->fields[u->field].value;
        size_t have = strlen(v), room = sizeof u->fields[0].value - 1 - have;
        size_t n = len < room ? len : room;
        memcpy(v + have, data, n);
        v[have + n] = 0;
        return 0;
    }
    if ((uint64_t)u->size + len > ATTACHMENT_MAX)
        return STOP_TOO_LARGE;
    if (u->head_len < UPLOAD_SNIFF_BYTES) {
        size_t n = len < UPLOAD_SNIFF_BYTES - u->head_len ? len : UPLOAD_SNIFF_BYTES - u->head_len;
        memcpy(u->head + u->head_len, data, n);
        u->head_len += n;
    }
    u->size += (int64_t)len;
    return blob_write(&u->blob, data, len) ? 0 : STOP_IO;
}

static int part_end(void *ctx)
{
    struct upload *u = ctx;
    u->in_file = false;
    u->field = -1;
    return 0;
}

static const struct multipart_callbacks callbacks = {part_begin, part_data, part_end};

static void upload_cleanup(struct request *r)
{
    struct upload *u = r->stream;
    blob_abort(&u->blob);
    multipart_free(&u->mp);
}

struct upload *upload_begin(struct request *r)
{
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    if (!multipart_boundary(req_header(r, "Content-Type"), boundary)) {
        req_fail(r, ERR_UNSUPPORTED, NULL, "send the file as multipart/form-data in a field named file");
        return NULL;
    }
    struct upload *u = arena_calloc(&r->arena, 1, sizeof *u);
    u->r = r;
    u->blob.fd = -1;
    u->field = -1;
    multipart_init(&u->mp, boundary, &callbacks, u);
    r->stream = u;
    r->cleanup = upload_cleanup;
    return u;
}

enum err upload_feed(struct upload *u, const char *data, size_t len)
{
    struct request *r = u->r;
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

enum err upload_finish(struct upload *u)
{
    struct request *r = u->r;
    if (multipart_finish(&u->mp) < 0)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "%s", u->mp.error);
    if (!u->have_file)
        return req_fail(r, ERR_VALIDATION, "file", "file is required (a multipart field named file)");
    char err[256];
    if (!blob_commit(&u->blob, u->sha256, err, sizeof err))
        return req_fail(r, ERR_INTERNAL, NULL, "%s", err);
    filetype_sniff(r->app->filetype, u->head, u->head_len, u->content_type, sizeof u->content_type);
    return ERR_OK;
}

void upload_discard(struct upload *u)
{
    /* no orphan: the bytes go unless another record shares them */
    if (!attachments_blob_used(req_db(u->r), u->sha256))
        blob_remove(u->r->app->cfg.data_dir, u->sha256);
}

const char *upload_field(const struct upload *u, const char *name)
{
    for (int i = u->nfields; i-- > 0;)
        if (strcmp(u->fields[i].name, name) == 0)
            return u->fields[i].value;
    return NULL;
}

/* The disposition with filename as a quoted-string with only printable ASCII, and as RFC 5987 UTF-8. */
static const char *disposition(struct request *r, const char *kind, const char *filename)
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
    const char *out = arena_printf(&r->arena, "%s; filename=\"%s\"; filename*=UTF-8''%s", kind,
                                   plain.data ? plain.data : "file", encoded.data ? encoded.data : "file");
    strbuf_free(&plain);
    strbuf_free(&encoded);
    return out;
}

enum err upload_send(struct request *r, const char *sha, const char *content_type, const char *filename,
                     bool show_inline)
{
    uint64_t size;
    int fd = blob_open(r->app->cfg.data_dir, sha, &size);
    if (fd < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "the stored file is missing");
    r->file_fd = fd;
    r->file_size = (int64_t)size;
    r->status = 200;
    r->content_type = arena_strdup(&r->arena, content_type);
    req_add_header(r, "Content-Disposition", disposition(r, show_inline ? "inline" : "attachment", filename));
    req_add_header(r, "Cache-Control", "private, no-store");
    return ERR_OK;
}
