#include "kb/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

enum err kb_file_record(struct db *db, const struct actor *by, struct kb_file *file, const char *declared_type,
                        struct failure *f)
{
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO kb_files (uploader_id, filename, size, content_type, declared_type,"
                                  " sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                  "itittti", by->user_id, file->filename, file->size, file->content_type,
                                  declared_type, file->sha256, time_now());
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        file->id = db_col_int(st, 0);
    db_finalize(st);
    struct audit_entry ae = {.actor_kind = "user", .actor_id = by->user_id, .action = "kb.file.create",
                             .target_type = "kb_file", .target_id = file->id, .field = "filename",
                             .new_value = file->filename, .ip = by->ip};
    if (rc == DB_ROW && audit_append(db, &ae) >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "could not record the file: %s", db_errmsg(db));
}

enum err kb_file_get(struct db *db, int64_t id, bool staff, struct kb_file *file)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT f.id, f.size, f.filename, f.content_type, f.sha256 FROM kb_files f"
                                  " WHERE f.id = $1 AND ($2 = 1 OR EXISTS (SELECT 1 FROM kb_article_files af"
                                  " JOIN kb_articles a ON a.id = af.article_id WHERE af.file_id = f.id"
                                  " AND a.status = 'published' AND a.visibility = 'public'))",
                                  "ii", id, (int64_t)staff);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        file->id = db_col_int(st, 0);
        file->size = db_col_int(st, 1);
        snprintf(file->filename, sizeof file->filename, "%s", db_col_text(st, 2));
        snprintf(file->content_type, sizeof file->content_type, "%s", db_col_text(st, 3));
        snprintf(file->sha256, sizeof file->sha256, "%s", db_col_text(st, 4));
    }
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
}

/* Adds the file ids text refers to (KB_FILE_PATH and digits) to ids, without repeats; false when
 * there are more than KB_FILES_PER_ARTICLE. */
static bool references(const char *text, int64_t *ids, size_t *n)
{
    const size_t plen = strlen(KB_FILE_PATH);
    for (const char *p = text ? strstr(text, KB_FILE_PATH) : NULL; p; p = strstr(p, KB_FILE_PATH)) {
        p += plen;
        if (*p < '0' || *p > '9')
            continue;
        char *end;
        int64_t id = strtoll(p, &end, 10);
        p = end;
        bool seen = false;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = ids[i] == id;
        if (seen)
            continue;
        if (*n == KB_FILES_PER_ARTICLE)
            return false;
        ids[(*n)++] = id;
    }
    return true;
}

enum err kb_files_link(struct db *db, int64_t article_id, const char *markdown, const char *guide,
                       struct failure *f)
{
    int64_t ids[KB_FILES_PER_ARTICLE];
    size_t n = 0, from_body;
    if (!references(markdown, ids, &n))
        return fail(f, ERR_VALIDATION, "body_markdown", "an article may show at most %d files", KB_FILES_PER_ARTICLE);
    from_body = n;
    if (!references(guide, ids, &n))
        return fail(f, ERR_VALIDATION, "guide", "an article may show at most %d files", KB_FILES_PER_ARTICLE);
    if (db_run(db, "DELETE FROM kb_article_files WHERE article_id = $1", "i", article_id) < 0)
        return fail(f, ERR_INTERNAL, NULL, "could not record the article's files: %s", db_errmsg(db));
    for (size_t i = 0; i < n; i++) {
        struct db_stmt *st = db_query(db,
                                      "INSERT INTO kb_article_files (article_id, file_id)"
                                      " SELECT $1, id FROM kb_files WHERE id = $2 RETURNING file_id",
                                      "ii", article_id, ids[i]);
        int rc = st ? db_step(st) : DB_ERROR;
        db_finalize(st);
        if (rc == DB_DONE)
            return fail(f, ERR_VALIDATION, i < from_body ? "body_markdown" : "guide",
                        "%s%lld names no uploaded file", KB_FILE_PATH, (long long)ids[i]);
        if (rc < 0)
            return fail(f, ERR_INTERNAL, NULL, "could not record the article's files: %s", db_errmsg(db));
    }
    return ERR_OK;
}

bool kb_file_inline(const char *content_type)
{
    static const char *const shown[] = {"image/png", "image/jpeg", "image/gif", "image/webp"};
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        if (strcmp(content_type, shown[i]) == 0)
            return true;
    return false;
}

json_t *kb_file_json(const struct kb_file *file)
{
    char url[64];
    snprintf(url, sizeof url, KB_FILE_PATH "%lld", (long long)file->id);
    /* the name as Markdown text: its punctuation escaped, so it reads as written */
    char label[2 * KB_FILE_NAME_MAX + 1];
    size_t n = 0;
    for (const char *p = file->filename; *p; p++) {
        if (strchr("\\[]*_`<>!#&()", *p))
            label[n++] = '\\';
        label[n++] = *p == '\n' || *p == '\r' ? ' ' : *p;
    }
    label[n] = 0;
    json_t *md = json_sprintf("%s[%s](%s)", kb_file_inline(file->content_type) ? "!" : "", label, url);
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)file->id, "filename", file->filename,
                     "size", (json_int_t)file->size, "content_type", file->content_type, "sha256", file->sha256,
                     "url", url, "markdown", md ? md : json_null());
}
