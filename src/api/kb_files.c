/* /api/v1/kb/files: images and files for knowledge-base articles, streamed into the blob store
 * (api/upload.h) and served to whoever may read an article that shows them. */
#include <stdio.h>

#include "api/input.h"
#include "api/kb_handlers.h"
#include "api/upload.h"
#include "app.h"
#include "kb/files.h"
#include "users/principal.h"

enum err api_kb_files_chunk(struct request *r, const char *data, size_t len)
{
    struct upload *u = r->stream;
    if (!u && !(u = upload_begin(r)))
        return r->err;
    return upload_feed(u, data, len);
}

enum err api_kb_files_upload(struct request *r)
{
    struct upload *u = r->stream;
    if (!u && api_kb_files_chunk(r, "", 0))
        return r->err;
    u = r->stream;
    if (upload_finish(u))
        return r->err;
    struct kb_file file = {.size = u->size};
    snprintf(file.filename, sizeof file.filename, "%s", u->filename);
    snprintf(file.content_type, sizeof file.content_type, "%s", u->content_type);
    snprintf(file.sha256, sizeof file.sha256, "%s", u->sha256);
    struct actor by = req_actor(r);
    struct failure f;
    enum err e = kb_file_record(req_db(r), &by, &file, u->declared, &f);
    if (e) {
        upload_discard(u);
        return req_failure(r, e, &f);
    }
    return req_json(r, 201, kb_file_json(&file));
}

enum err api_kb_files_download(struct request *r)
{
    int64_t id;
    struct kb_file file;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if ((e = kb_file_get(req_db(r), id, kb_reader_is_staff(r), &file)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such file" : "could not read the file");
    return upload_send(r, file.sha256, file.content_type, file.filename, kb_file_inline(file.content_type));
}
