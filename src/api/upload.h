/* Files through the blob store, for ticket attachments and knowledge-base files alike: a
 * multipart/form-data body streamed in (one part named file, at most ATTACHMENT_MAX bytes,
 * hashed while it is written, its type sniffed from the first bytes with libmagic, a few small
 * form fields beside it), and a stored file streamed out with a safe Content-Disposition. */
#ifndef PARLEY_API_UPLOAD_H
#define PARLEY_API_UPLOAD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachments/attachments.h"
#include "http/multipart.h"
#include "http/request.h"
#include "store/blobs.h"

#define UPLOAD_SNIFF_BYTES 4096
#define UPLOAD_FIELDS 4         /* small form fields kept (name and value up to 15 bytes) */

struct upload {
    struct request *r;
    struct multipart mp;
    struct blob_writer blob;
    int64_t owner_id;           /* the caller's: what the file is uploaded to */
    bool in_file, have_file;
    struct {
        char name[16], value[16];
    } fields[UPLOAD_FIELDS];
    int nfields, field;         /* field: the one being read, or -1 */
    /* the file, complete after upload_finish */
    char filename[ATTACHMENT_NAME_MAX + 1];
    char declared[128];         /* the type the client declared (kept for reference only) */
    char content_type[128];     /* sniffed */
    char sha256[65];
    int64_t size;
    unsigned char head[UPLOAD_SNIFF_BYTES];
    size_t head_len;
    char problem[300];
};

/* Starts reading the request's body as an upload (on its first chunk, after the caller's own
 * checks): it must be multipart/form-data. The upload is r->stream until the request ends, when
 * an unfinished file is deleted; NULL when refused (the error is answered). */
struct upload *upload_begin(struct request *r);
/* Feeds a chunk of the body: ERR_OK, or the answered error (413 past ATTACHMENT_MAX, 422 for a
 * second file or a bad name, 400 for a malformed body). */
enum err upload_feed(struct upload *u, const char *data, size_t len);
/* Ends the body: the file is stored under its SHA-256 (u->sha256) and sniffed (u->content_type);
 * otherwise the error is answered (422 when there was no file part). */
enum err upload_finish(struct upload *u);
/* Deletes the stored bytes unless a record refers to them: after recording the upload failed. */
void upload_discard(struct upload *u);
/* The value of a small form field sent beside the file, or NULL when it was not sent. */
const char *upload_field(const struct upload *u, const char *name);
/* Answers with the stored file sha: its type, and a Content-Disposition with its name, inline
 * (shown in the page) when show_inline, else attachment (downloaded). */
enum err upload_send(struct request *r, const char *sha, const char *content_type, const char *filename,
                     bool show_inline);

#endif
