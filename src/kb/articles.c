#include "kb/articles.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "kb/categories.h"
#include "kb/files.h"
#include "kb/guide.h"
#include "kb/index.h"
#include "util/markdown.h"
#include "util/strbuf.h"
#include "util/tags.h"
#include "util/timeutil.h"

/* An article's stored content and state (heap strings; guide NULL for none). */
struct state {
    char *title, *body, *guide, *tags, *language, *status, *visibility;
    int64_t category_id, translation_of, version, published_at;
};

#define STATE_COLUMNS \
    "title, body_markdown, guide, tags, language, status, visibility, category_id, translation_of, version, published_at"

static const char *const statuses[] = {"draft", "published", "archived", NULL};
static const char *const visibilities[] = {"public", "internal", NULL};

static char *dup(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        abort();
    return d;
}

/* Replaces the string *slot by a copy of s. */
static void set(char **slot, const char *s)
{
    char *d = dup(s);
    free(*slot);
    *slot = d;
}

static void state_free(struct state *s)
{
    free(s->title);
    free(s->body);
    free(s->guide);
    free(s->tags);
    free(s->language);
    free(s->status);
    free(s->visibility);
}

/* Reads the state of article id: DB_ROW when found, DB_DONE when not, negative on error. */
static int read_state(struct db *db, int64_t id, struct state *s)
{
    struct db_stmt *st = db_query(db, "SELECT " STATE_COLUMNS " FROM kb_articles WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *s = (struct state){.title = dup(db_col_text(st, 0)), .body = dup(db_col_text(st, 1)),
                            .guide = dup(db_col_text(st, 2)), .tags = dup(db_col_text(st, 3)),
                            .language = dup(db_col_text(st, 4)), .status = dup(db_col_text(st, 5)),
                            .visibility = dup(db_col_text(st, 6)), .category_id = db_col_int(st, 7),
                            .translation_of = db_col_int(st, 8), .version = db_col_int(st, 9),
                            .published_at = db_col_int(st, 10)};
    db_finalize(st);
    return rc;
}

static bool one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

static bool valid_language(const char *s)
{
    return strlen(s) == 2 && islower((unsigned char)s[0]) && islower((unsigned char)s[1]);
}

static bool blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return !*s;
}

/* Applies the changes of in to s, checking each. */
static enum err merge(struct db *db, const struct kb_article_in *in, struct state *s, struct failure *f)
{
    enum err e;
    if (in->title && (blank(in->title) || strlen(in->title) > KB_TITLE_MAX))
        return fail(f, ERR_VALIDATION, "title", "title must have 1 to %d characters", KB_TITLE_MAX);
    if (in->body_markdown && strlen(in->body_markdown) > KB_BODY_MAX)
        return fail(f, ERR_VALIDATION, "body_markdown", "body_markdown must have at most %d bytes", KB_BODY_MAX);
    if (in->language && !valid_language(in->language))
        return fail(f, ERR_VALIDATION, "language", "language must be an ISO 639-1 code such as en or de");
    if (in->status && !one_of(in->status, statuses))
        return fail(f, ERR_VALIDATION, "status", "status must be one of draft, published, archived");
    if (in->visibility && !one_of(in->visibility, visibilities))
        return fail(f, ERR_VALIDATION, "visibility", "visibility must be public or internal");
    if (in->has_category && in->category_id) {
        json_decref(kb_category_get(db, in->category_id, &e));
        if (e == ERR_NOT_FOUND)
            return fail(f, ERR_VALIDATION, "category_id", "category_id names no category");
        if (e)
            return fail(f, e, NULL, "could not read the category: %s", db_errmsg(db));
        s->category_id = in->category_id;
    } else if (in->has_category) {
        s->category_id = 0;
    }
    if (in->tags) {
        json_t *tags;
        if ((e = tags_normalize(in->tags, KB_TAGS_MAX, KB_TAG_MAX, "tags", &tags, f)))
            return e;
        char *text = json_dumps(tags, JSON_COMPACT);
        json_decref(tags);
        free(s->tags);
        s->tags = text;
    }
    if (json_is_null(in->guide)) {
        set(&s->guide, NULL);
    } else if (in->guide) {
        json_t *guide;
        if ((e = kb_guide_check(in->guide, &guide, f)))
            return e;
        char *text = json_dumps(guide, JSON_COMPACT);
        json_decref(guide);
        free(s->guide);
        s->guide = text;
    }
    if (in->title)
        set(&s->title, in->title);
    if (in->body_markdown)
        set(&s->body, in->body_markdown);
    if (in->language)
        set(&s->language, in->language);
    if (in->status)
        set(&s->status, in->status);
    if (in->visibility)
        set(&s->visibility, in->visibility);
    return ERR_OK;
}

/* 409 when another article of the translation group of `group` (other than id) has language. */
static enum err check_translation(struct db *db, int64_t group, int64_t id, const char *language, struct failure *f)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id FROM kb_articles WHERE (id = $1 OR translation_of = $1) AND language = $2"
                                  " AND id <> $3",
                                  "iti", group, language, id);
    int rc = st ? db_step(st) : DB_ERROR;
    int64_t other = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    if (other)
        return fail(f, ERR_CONFLICT, "language", "article %lld is already the %s translation", (long long)other,
                    language);
    return ERR_OK;
}

/* Adds an id parameter that is NULL when 0. */
static int arg_id(struct db_args *a, int64_t v)
{
    return v ? db_arg_int(a, v) : db_arg_text(a, NULL);
}

/* Derived texts of a state: safe HTML and the plain text search indexes. */
struct derived {
    char *html, *text;
};

static struct derived derive(const struct state *s)
{
    struct derived d = {markdown_to_html(s->body), markdown_to_text(s->body)};
    json_t *guide = s->guide ? json_loads(s->guide, 0, NULL) : NULL;
    if (guide) {
        char *steps = kb_guide_text(guide);
        char *both = malloc(strlen(d.text) + strlen(steps) + 2);
        if (!both)
            abort();
        sprintf(both, "%s\n%s", d.text, steps);
        free(d.text);
        free(steps);
        d.text = both;
        json_decref(guide);
    }
    return d;
}

/* Binds the content columns as $1..$10: title, body_markdown, body_html, search_text, guide,
 * tags, language, status, visibility, category_id. */
static void bind_content(struct db_args *a, const struct state *s, const struct derived *d)
{
    db_arg_text(a, s->title);
    db_arg_text(a, s->body);
    db_arg_text(a, d->html);
    db_arg_text(a, d->text);
    db_arg_text(a, s->guide);
    db_arg_text(a, s->tags);
    db_arg_text(a, s->language);
    db_arg_text(a, s->status);
    db_arg_text(a, s->visibility);
    arg_id(a, s->category_id);
}

/* Records version s->version of article id, and the audit entry of the change. */
static int record_version(struct db *db, const struct actor *by, int64_t id, const struct state *s, const char *note,
                          const char *action, int64_t now)
{
    struct db_args a = {0};
    db_arg_int(&a, id);
    db_arg_int(&a, s->version);
    db_arg_text(&a, s->title);
    db_arg_text(&a, s->body);
    db_arg_text(&a, s->guide);
    arg_id(&a, s->category_id);
    db_arg_text(&a, s->tags);
    db_arg_text(&a, s->language);
    db_arg_text(&a, s->status);
    db_arg_text(&a, s->visibility);
    arg_id(&a, by->user_id);
    db_arg_text(&a, note);
    db_arg_int(&a, now);
    struct db_stmt *st = db_query_args(db,
                                       "INSERT INTO kb_article_versions (article_id, version, title, body_markdown, guide,"
                                       " category_id, tags, language, status, visibility, author_id, note, created_at)"
                                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                                       &a);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    if (rc < 0)
        return rc;
    char version[24];
    snprintf(version, sizeof version, "%lld", (long long)s->version);
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action,
                            .target_type = "kb_article", .target_id = id, .field = "version",
                            .new_value = version, .ip = by->ip};
    return audit_append(db, &e);
}

/* Ends a write transaction: commits when rc is fine and e is OK, else rolls back. */
static enum err finish(struct db *db, int rc, enum err e, struct failure *f)
{
    if (!e && rc >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    return e ? e : fail(f, ERR_INTERNAL, NULL, "could not save the article: %s", db_errmsg(db));
}

enum err kb_article_create(struct db *db, const struct actor *by, const struct kb_article_in *in, int64_t *id,
                           struct failure *f)
{
    struct state s = {.title = dup(""), .body = dup(""), .tags = dup("[]"), .language = dup("en"),
                      .status = dup("draft"), .visibility = dup("public"), .version = 1};
    struct derived d = {0};
    enum err e = ERR_OK;
    int64_t now = time_now();
    if (!in->title)
        e = fail(f, ERR_VALIDATION, "title", "title is required");
    int rc = e ? DB_DONE : db_begin(db);
    if (rc >= 0 && !e)
        e = merge(db, in, &s, f);
    if (rc >= 0 && !e && in->translation_of) {
        struct state orig;
        rc = read_state(db, in->translation_of, &orig);
        if (rc == DB_DONE)
            e = fail(f, ERR_VALIDATION, "translation_of", "translation_of names no article");
        if (rc == DB_ROW) {
            s.translation_of = orig.translation_of ? orig.translation_of : in->translation_of;
            state_free(&orig);
        }
    }
    if (rc >= 0 && !e && s.translation_of)
        e = check_translation(db, s.translation_of, 0, s.language, f);
    if (rc >= 0 && !e) {
        d = derive(&s);
        struct db_args a = {0};
        bind_content(&a, &s, &d);
        arg_id(&a, s.translation_of);
        arg_id(&a, by->user_id);
        db_arg_int(&a, now);
        arg_id(&a, strcmp(s.status, "published") == 0 ? now : 0);
        struct db_stmt *st = db_query_args(db,
                                           "INSERT INTO kb_articles (title, body_markdown, body_html, search_text, guide,"
                                           " tags, language, status, visibility, category_id, translation_of, author_id,"
                                           " created_at, updated_at, published_at, version)"
                                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, 1)"
                                           " RETURNING id",
                                           &a);
        rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW)
            *id = db_col_int(st, 0);
        else if (rc == DB_DONE)
            rc = DB_ERROR;
        db_finalize(st);
    }
    if (rc >= 0 && !e)
        e = kb_files_link(db, *id, s.body, s.guide, f);
    if (rc >= 0 && !e)
        rc = record_version(db, by, *id, &s, NULL, "kb.article.create", now);
    e = finish(db, rc, e, f);
    free(d.html);
    free(d.text);
    state_free(&s);
    return e;
}

/* Changes article id by in (and note for the version), in one transaction. */
static enum err change(struct db *db, const struct actor *by, int64_t id, const struct kb_article_in *in,
                       const char *note, struct failure *f)
{
    struct state s = {0};
    struct derived d = {0};
    enum err e = ERR_OK;
    int64_t now = time_now();
    int rc = db_begin(db);
    if (rc >= 0 && (rc = read_state(db, id, &s)) == DB_DONE)
        e = fail(f, ERR_NOT_FOUND, NULL, "no such article");
    if (rc >= 0 && !e && in->if_version && in->if_version != s.version)
        e = fail(f, ERR_CONFLICT, "version", "the article changed meanwhile: it is at version %lld",
                 (long long)s.version);
    char *old_language = !e && rc >= 0 ? dup(s.language) : NULL;
    if (rc >= 0 && !e)
        e = merge(db, in, &s, f);
    if (rc >= 0 && !e && strcmp(old_language, s.language) != 0)
        e = check_translation(db, s.translation_of ? s.translation_of : id, id, s.language, f);
    free(old_language);
    if (rc >= 0 && !e) {
        d = derive(&s);
        if (!s.published_at && strcmp(s.status, "published") == 0)
            s.published_at = now;
        struct db_args a = {0};
        bind_content(&a, &s, &d);
        db_arg_int(&a, s.version + 1);
        db_arg_int(&a, now);
        arg_id(&a, s.published_at);
        db_arg_int(&a, id);
        db_arg_int(&a, s.version);
        struct db_stmt *st = db_query_args(db,
                                           "UPDATE kb_articles SET title = $1, body_markdown = $2, body_html = $3,"
                                           " search_text = $4, guide = $5, tags = $6, language = $7, status = $8,"
                                           " visibility = $9, category_id = $10, version = $11, updated_at = $12,"
                                           " published_at = $13 WHERE id = $14 AND version = $15 RETURNING id",
                                           &a);
        rc = st ? db_step(st) : DB_ERROR;
        db_finalize(st);
        if (rc == DB_DONE)
            e = fail(f, ERR_CONFLICT, NULL, "the article changed meanwhile; read it again");
        s.version++;
    }
    if (rc >= 0 && !e)
        e = kb_files_link(db, id, s.body, s.guide, f);
    if (rc >= 0 && !e)
        rc = record_version(db, by, id, &s, note, note ? "kb.article.restore" : "kb.article.update", now);
    e = finish(db, rc, e, f);
    free(d.html);
    free(d.text);
    state_free(&s);
    return e;
}

enum err kb_article_update(struct db *db, const struct actor *by, int64_t id, const struct kb_article_in *in,
                           struct failure *f)
{
    return change(db, by, id, in, NULL, f);
}

enum err kb_article_restore(struct db *db, const struct actor *by, int64_t id, int64_t version, struct failure *f)
{
    /* a category deleted since then leaves the article without one */
    struct db_stmt *st = db_query(db,
                                  "SELECT v.title, v.body_markdown, v.guide, v.tags,"
                                  " (SELECT c.id FROM kb_categories c WHERE c.id = v.category_id)"
                                  " FROM kb_article_versions v WHERE v.article_id = $1 AND v.version = $2",
                                  "ii", id, version);
    int rc = st ? db_step(st) : DB_ERROR;
    enum err e = rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    if (e) {
        db_finalize(st);
        return fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such version" : "could not read the version");
    }
    json_t *tags = json_loads(db_col_text(st, 3), 0, NULL);
    json_t *guide = db_col_null(st, 2) ? json_null() : json_loads(db_col_text(st, 2), 0, NULL);
    char *title = dup(db_col_text(st, 0)), *body = dup(db_col_text(st, 1));
    struct kb_article_in in = {.title = title, .body_markdown = body, .tags = tags, .guide = guide,
                               .has_category = true, .category_id = db_col_int(st, 4)};
    db_finalize(st);
    char note[64];
    snprintf(note, sizeof note, "restored from version %lld", (long long)version);
    e = change(db, by, id, &in, note, f);
    json_decref(tags);
    json_decref(guide);
    free(title);
    free(body);
    return e;
}

static bool visible_to(const char *status, const char *visibility, bool staff)
{
    return staff || (strcmp(status, "published") == 0 && strcmp(visibility, "public") == 0);
}

bool kb_article_visible(struct db *db, int64_t id, bool staff, enum err *e)
{
    struct db_stmt *st = db_query(db, "SELECT status, visibility FROM kb_articles WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    bool ok = rc == DB_ROW && visible_to(db_col_text(st, 0), db_col_text(st, 1), staff);
    db_finalize(st);
    *e = ok ? ERR_OK : rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
    return ok;
}

static json_t *id_or_null(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static json_t *time_or_null(struct db_stmt *st, int col)
{
    char at[21];
    return db_col_null(st, col) ? json_null() : json_string(time_format(db_col_int(st, col), at));
}

/* The JSON value of a JSON text column (tags, guide); null when NULL or unreadable. */
static json_t *json_col(struct db_stmt *st, int col)
{
    json_t *v = db_col_null(st, col) ? NULL : json_loads(db_col_text(st, col), 0, NULL);
    return v ? v : json_null();
}

/* The other articles of the translation group the reader may see: [{id, language, title}]. */
static json_t *translations(struct db *db, int64_t id, int64_t group, bool staff)
{
    json_t *items = json_array();
    struct db_stmt *st = db_query(db,
                                  "SELECT id, language, title, status, visibility FROM kb_articles"
                                  " WHERE (id = $1 OR translation_of = $1) AND id <> $2 ORDER BY language",
                                  "ii", group, id);
    while (st && db_step(st) == DB_ROW)
        if (visible_to(db_col_text(st, 3), db_col_text(st, 4), staff))
            json_array_append_new(items, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "language",
                                                   db_col_text(st, 1), "title", db_col_text(st, 2)));
    db_finalize(st);
    return items;
}

/* Adds helpful_yes and helpful_no of article id to a. */
static void add_feedback_counts(struct db *db, int64_t id, json_t *a)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT COALESCE(SUM(helpful), 0), COUNT(*) - COALESCE(SUM(helpful), 0)"
                                  " FROM kb_feedback WHERE article_id = $1",
                                  "i", id);
    if (st && db_step(st) == DB_ROW) {
        json_object_set_new(a, "helpful_yes", json_integer(db_col_int(st, 0)));
        json_object_set_new(a, "helpful_no", json_integer(db_col_int(st, 1)));
    }
    db_finalize(st);
}

json_t *kb_article_get(struct db *db, int64_t id, bool staff, enum err *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, title, body_markdown, body_html, guide, tags, language, status, visibility,"
                                  " category_id, translation_of, version, author_id, view_count, created_at, updated_at,"
                                  " published_at FROM kb_articles WHERE id = $1",
                                  "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW || !visible_to(db_col_text(st, 7), db_col_text(st, 8), staff)) {
        *e = rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
        db_finalize(st);
        return NULL;
    }
    json_t *guide = json_col(st, 4);
    json_t *a = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:o}",
                          "id", (json_int_t)id, "kind", json_is_null(guide) ? "article" : "guide",
                          "title", db_col_text(st, 1), "body_markdown", db_col_text(st, 2),
                          "body_html", db_col_text(st, 3),
                          "guide", json_is_null(guide) ? json_null() : kb_guide_render(guide),
                          "tags", json_col(st, 5), "language", db_col_text(st, 6), "status", db_col_text(st, 7),
                          "visibility", db_col_text(st, 8), "category_id", id_or_null(st, 9),
                          "translation_of", id_or_null(st, 10), "version", (json_int_t)db_col_int(st, 11),
                          "created_at", time_or_null(st, 14), "updated_at", time_or_null(st, 15),
                          "published_at", time_or_null(st, 16));
    json_decref(guide);
    int64_t group = db_col_null(st, 10) ? id : db_col_int(st, 10);
    if (staff) {
        json_object_set_new(a, "author_id", id_or_null(st, 12));
        json_object_set_new(a, "view_count", json_integer(db_col_int(st, 13)));
    }
    db_finalize(st);
    json_object_set_new(a, "translations", translations(db, id, group, staff));
    if (staff)
        add_feedback_counts(db, id, a);
    *e = ERR_OK;
    return a;
}

/* A LIKE pattern (escape character !) matching a stored JSON tags array that holds tag. */
static char *tag_pattern(const char *tag)
{
    json_t *s = json_string(tag);
    char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    json_decref(s);
    if (!quoted)
        return dup("-"); /* not UTF-8: a pattern that matches no tags array */
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_addc(&sb, '%');
    for (const char *c = quoted; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '!')
            strbuf_addc(&sb, '!');
        strbuf_addc(&sb, (char)tolower((unsigned char)*c));
    }
    strbuf_addc(&sb, '%');
    free(quoted);
    return strbuf_take(&sb, NULL);
}

json_t *kb_article_list(struct db *db, const struct kb_article_filter *flt)
{
    struct db_args a = {0};
    struct strbuf sql;
    strbuf_init(&sql, 0);
    if (flt->category_id)
        strbuf_addf(&sql, "WITH RECURSIVE sub(id) AS (SELECT id FROM kb_categories WHERE id = $%d UNION"
                          " SELECT c.id FROM kb_categories c JOIN sub ON c.parent_id = sub.id) ",
                    db_arg_int(&a, flt->category_id));
    strbuf_adds(&sql, "SELECT id, title, language, category_id, tags, status, visibility, guide IS NOT NULL, version,"
                      " updated_at FROM kb_articles WHERE 1 = 1");
    if (flt->category_id)
        strbuf_adds(&sql, " AND category_id IN (SELECT id FROM sub)");
    if (!flt->staff)
        strbuf_adds(&sql, " AND status = 'published' AND visibility = 'public'");
    else if (flt->status)
        strbuf_addf(&sql, " AND status = $%d", db_arg_text(&a, flt->status));
    if (flt->language)
        strbuf_addf(&sql, " AND language = $%d", db_arg_text(&a, flt->language));
    char *pattern = flt->tag ? tag_pattern(flt->tag) : NULL;
    /* tags are stored lower-case */
    if (pattern)
        strbuf_addf(&sql, " AND tags LIKE $%d ESCAPE '!'", db_arg_text(&a, pattern));
    if (flt->before_id)
        strbuf_addf(&sql, " AND id < $%d", db_arg_int(&a, flt->before_id));
    strbuf_addf(&sql, " ORDER BY id DESC LIMIT $%d", db_arg_int(&a, flt->limit));
    struct db_stmt *st = db_query_args(db, sql.data, &a);
    strbuf_free(&sql);
    free(pattern);
    if (!st)
        return NULL;
    json_t *items = json_array();
    char at[21];
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:I, s:s}",
                                               "id", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1),
                                               "language", db_col_text(st, 2), "category_id", id_or_null(st, 3),
                                               "tags", json_col(st, 4), "status", db_col_text(st, 5),
                                               "visibility", db_col_text(st, 6),
                                               "kind", db_col_int(st, 7) ? "guide" : "article",
                                               "version", (json_int_t)db_col_int(st, 8),
                                               "updated_at", time_format(db_col_int(st, 9), at)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *kb_article_versions(struct db *db, int64_t id, int64_t before, int limit, enum err *e)
{
    if (!kb_article_visible(db, id, true, e))
        return NULL;
    struct db_stmt *st = db_query(db,
                                  "SELECT version, title, status, visibility, author_id, note, created_at"
                                  " FROM kb_article_versions WHERE article_id = $1 AND ($2 = 0 OR version < $2)"
                                  " ORDER BY version DESC LIMIT $3",
                                  "iii", id, before, (int64_t)limit);
    json_t *items = json_array();
    char at[21];
    int rc = st ? DB_ROW : DB_ERROR;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s}",
                                               "version", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1),
                                               "status", db_col_text(st, 2), "visibility", db_col_text(st, 3),
                                               "author_id", id_or_null(st, 4), "note",
                                               db_col_null(st, 5) ? json_null() : json_string(db_col_text(st, 5)),
                                               "created_at", time_format(db_col_int(st, 6), at)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        *e = ERR_INTERNAL;
        return NULL;
    }
    return items;
}

json_t *kb_article_version(struct db *db, int64_t id, int64_t version, enum err *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT version, title, body_markdown, guide, category_id, tags, language, status,"
                                  " visibility, author_id, note, created_at FROM kb_article_versions"
                                  " WHERE article_id = $1 AND version = $2",
                                  "ii", id, version);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        *e = rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
        db_finalize(st);
        return NULL;
    }
    char at[21];
    char *html = markdown_to_html(db_col_text(st, 2));
    json_t *guide = json_col(st, 3);
    json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:s}",
                          "article_id", (json_int_t)id, "version", (json_int_t)db_col_int(st, 0),
                          "title", db_col_text(st, 1), "body_markdown", db_col_text(st, 2), "body_html", html,
                          "guide", json_is_null(guide) ? json_null() : kb_guide_render(guide),
                          "category_id", id_or_null(st, 4), "tags", json_col(st, 5),
                          "language", db_col_text(st, 6), "status", db_col_text(st, 7),
                          "visibility", db_col_text(st, 8), "author_id", id_or_null(st, 9),
                          "note", db_col_null(st, 10) ? json_null() : json_string(db_col_text(st, 10)),
                          "created_at", time_format(db_col_int(st, 11), at));
    json_decref(guide);
    free(html);
    db_finalize(st);
    *e = ERR_OK;
    return v;
}

enum err kb_feedback_add(struct db *db, int64_t article_id, bool staff, int64_t user_id, bool helpful,
                         const char *comment, int64_t *id, struct failure *f)
{
    enum err e;
    if (comment && strlen(comment) > KB_COMMENT_MAX)
        return fail(f, ERR_VALIDATION, "comment", "comment must have at most %d characters", KB_COMMENT_MAX);
    if (!kb_article_visible(db, article_id, staff, &e))
        return fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such article" : "could not read the article");
    struct db_args a = {0};
    db_arg_int(&a, article_id);
    db_arg_int(&a, helpful);
    db_arg_text(&a, comment && !blank(comment) ? comment : NULL);
    arg_id(&a, user_id);
    db_arg_int(&a, time_now());
    struct db_stmt *st = db_query_args(db,
                                       "INSERT INTO kb_feedback (article_id, helpful, comment, user_id, created_at)"
                                       " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                       &a);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : fail(f, ERR_INTERNAL, NULL, "could not save the feedback: %s", db_errmsg(db));
}
