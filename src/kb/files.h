/* Files inside knowledge-base articles (images above all): their records, which articles refer
 * to them (/api/v1/kb/files/{id} in the Markdown or the guide of an article's newest version),
 * and who may read them: staff always, other readers while a published public article refers to
 * one. A file stays when an article stops referring to it (an old version may be restored). The
 * bytes are in the blob store (api/upload.h streams them in and out). */
#ifndef PARLEY_KB_FILES_H
#define PARLEY_KB_FILES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define KB_FILE_PATH "/api/v1/kb/files/" /* followed by the id: how Markdown refers to a file */
#define KB_FILE_NAME_MAX 255
#define KB_FILES_PER_ARTICLE 100

struct kb_file {
    int64_t id, size;
    char filename[KB_FILE_NAME_MAX + 1];
    char content_type[128];     /* sniffed */
    char sha256[65];
};

/* Records a stored file uploaded by `by` (audited); fills file->id. */
enum err kb_file_record(struct db *db, const struct actor *by, struct kb_file *file, const char *declared_type,
                        struct failure *f);
/* Reads file id if the reader may see it (staff: any; others: one a published public article
 * refers to); ERR_NOT_FOUND otherwise, ERR_INTERNAL on a database error. */
enum err kb_file_get(struct db *db, int64_t id, bool staff, struct kb_file *file);
/* Makes the files that markdown and guide (the guide's JSON text, or NULL) refer to the files of
 * article_id, inside the caller's transaction; 422 naming the field (body_markdown or guide)
 * for a reference to no file or more than KB_FILES_PER_ARTICLE of them. */
enum err kb_files_link(struct db *db, int64_t article_id, const char *markdown, const char *guide,
                       struct failure *f);
/* The API object of a file: {id, filename, size, content_type, sha256, url, markdown} (markdown:
 * an image for an inline type, else a link). */
json_t *kb_file_json(const struct kb_file *file);
/* True for the types shown inside a page: PNG, JPEG, GIF and WebP images (never SVG, which
 * can carry scripts, nor HTML); every other file is served as a download. */
bool kb_file_inline(const char *content_type);

#endif
