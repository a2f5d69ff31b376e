/* Knowledge-base articles: Markdown bodies rendered safely, categories, tags, a language with
 * linked translations, statuses draft / published / archived, public or internal (staff only),
 * a version kept for every change (with restore), an optional troubleshooting guide
 * (kb/guide.h), and readers' feedback. Readers who are not staff see only published public
 * articles; anything else answers ERR_NOT_FOUND. */
#ifndef PARLEY_KB_ARTICLES_H
#define PARLEY_KB_ARTICLES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define KB_BODY_MAX (256 * 1024)
#define KB_TAGS_MAX 20
#define KB_TAG_MAX 50
#define KB_COMMENT_MAX 2000

/* An article to create, or the changes to one (NULL / has_* false: unchanged). */
struct kb_article_in {
    const char *title, *body_markdown;
    const char *language;       /* ISO 639-1, default "en" */
    const char *status;         /* draft (default), published, archived */
    const char *visibility;     /* public (default), internal */
    json_t *tags;               /* a list of tags */
    json_t *guide;              /* a guide; JSON null removes it */
    bool has_category;
    int64_t category_id;        /* with has_category: 0 for none */
    int64_t translation_of;     /* create only: the article this translates (0: an original) */
    int64_t if_version;         /* update only: 409 unless the article is at this version (0: any) */
};

/* Creates an article and its version 1 (audited); its id in *id. 422 naming the field for bad
 * input, 409 when its translation group already has that language. */
enum err kb_article_create(struct db *db, const struct actor *by, const struct kb_article_in *in, int64_t *id,
                           struct failure *f);
/* Changes an article and records the new version. */
enum err kb_article_update(struct db *db, const struct actor *by, int64_t id, const struct kb_article_in *in,
                           struct failure *f);
/* Makes the content of an earlier version (title, body, guide, tags, category) the newest
 * version; status, visibility and language stay. */
enum err kb_article_restore(struct db *db, const struct actor *by, int64_t id, int64_t version, struct failure *f);
/* The article as the reader may see it (staff: with author, view and feedback counts); NULL
 * when absent or not visible (*e). Caller owns it. */
json_t *kb_article_get(struct db *db, int64_t id, bool staff, enum err *e);
/* True when a reader (staff or not) may see article id; *e says ERR_NOT_FOUND or ERR_INTERNAL otherwise. */
bool kb_article_visible(struct db *db, int64_t id, bool staff, enum err *e);

/* Filters of kb_article_list; NULL/0 do not filter. */
struct kb_article_filter {
    bool staff;                 /* else only published public articles */
    int64_t category_id;        /* with its subcategories */
    const char *tag, *language, *status;
    int64_t before_id;          /* cursor */
    int limit;
};
/* Article summaries {id, title, language, category_id, tags, status, visibility, kind, version,
 * updated_at}, newest first; NULL on a database error. */
json_t *kb_article_list(struct db *db, const struct kb_article_filter *flt);
/* The versions of an article, newest first, older than before (0: from the newest), as
 * {version, title, status, visibility, author_id, note, created_at}; NULL when no such article (*e). */
json_t *kb_article_versions(struct db *db, int64_t id, int64_t before, int limit, enum err *e);
/* One version with its full content (body_markdown, body_html, guide, tags, category_id, language). */
json_t *kb_article_version(struct db *db, int64_t id, int64_t version, enum err *e);
/* Records "did this help?" on an article the reader may see; the feedback's id in *id. */
enum err kb_feedback_add(struct db *db, int64_t article_id, bool staff, int64_t user_id, bool helpful,
                         const char *comment, int64_t *id, struct failure *f);

#endif
