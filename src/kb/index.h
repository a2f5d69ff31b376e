/* The knowledge base's search index: the one retrieval engine (src/ai/retriever.h, BM25F with
 * stemming and typo tolerance) plus what search filters on (language, category, internal) and
 * shows (title), kept per article beside it. In memory, fed from the database by kb/sync.c;
 * every function is thread-safe. No SQL here. */
#ifndef PARLEY_KB_INDEX_H
#define PARLEY_KB_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define KB_TITLE_MAX 300        /* bytes */
#define KB_QUERY_MAX 2000       /* bytes of a query that are searched; the rest is ignored */
#define KB_SNIPPET_BYTES 240

struct kb_index;

/* A published article as the index takes it (texts are copied). */
struct kb_doc {
    int64_t id, version;
    int64_t category_id;        /* 0 for none */
    const char *title, *tags, *text; /* tags: space-separated; text: plain text of body and guide */
    const char *language;       /* ISO 639-1 */
    bool internal;              /* staff only */
};

/* What a search may return; NULL/0 members do not filter. */
struct kb_filter {
    const char *language;
    bool internal;              /* true: internal articles too (staff) */
    const int64_t *categories;  /* sorted ascending; an article must be in one of them */
    size_t ncategories;
};

struct kb_hit {
    int64_t id;
    double score;
    char title[KB_TITLE_MAX + 1];
};

/* An empty index (default language English); the caller frees it with kb_index_free. Aborts
 * when out of memory. */
struct kb_index *kb_index_new(void);
/* Frees the index (NULL is fine); no other call may be running. */
void kb_index_free(struct kb_index *ix);
/* Adds or replaces an article, unless the index already holds a newer version of it. */
enum err kb_index_put(struct kb_index *ix, const struct kb_doc *d);
/* Takes an article out (unpublished, archived, made a draft) as of `version`; a later put of
 * an older version is then ignored. */
void kb_index_drop(struct kb_index *ix, int64_t id, int64_t version);
/* The newest version of article id the index has seen (put or dropped); 0 when none. */
int64_t kb_index_version(struct kb_index *ix, int64_t id);
/* Number of searchable articles. */
size_t kb_index_count(struct kb_index *ix);
/* Ranks the articles for query that pass the filter and writes those at ranks
 * [offset, offset + limit) into out (room for limit); *n says how many, *more whether any
 * follow. An empty or wordless query finds nothing. ERR_INTERNAL when out of memory. */
enum err kb_index_search(struct kb_index *ix, const char *query, const struct kb_filter *flt, size_t offset,
                         size_t limit, struct kb_hit *out, size_t *n, bool *more);
/* An HTML-safe snippet of article id around the query words (matches in <mark>); the caller
 * frees it. NULL when the article is not in the index. */
char *kb_index_snippet(struct kb_index *ix, int64_t id, const char *query);
/* The first at most max bytes of s, cut back to a UTF-8 character boundary: its length. */
size_t kb_utf8_prefix(const char *s, size_t max);

#endif
