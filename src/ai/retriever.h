/* retriever: the one search engine of Parley (knowledge-base search, article
 * recommendations, grounding for suggested replies). An in-memory inverted
 * index over documents with BM25F ranking (title > tags > body), stemming
 * per document language (up to 64 languages: every Snowball one), stop words
 * weighted down in queries, and typo tolerance for query words missing from
 * the vocabulary. Top-k is exact, with dynamic pruning (MaxScore, block-max):
 * see docs/ai.md.
 *
 * Threads: every function may be called from any thread; searches and
 * snippets run concurrently under a read lock, add/remove take the write
 * lock. Per-search working memory (tokenizers, token buffers) comes from a
 * pool inside the index, so callers need no per-thread state. */
#ifndef PARLEY_AI_RETRIEVER_H
#define PARLEY_AI_RETRIEVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum retr_err {
    RETR_OK = 0,
    RETR_ENOMEM,
    RETR_ELANG,     /* no stemmer for the language, or a 65th language in one index */
    RETR_ENOTFOUND, /* no document with that id */
    RETR_EINVAL,
};

typedef struct retr_index retr_index;

typedef struct {
    int64_t id;
    const char *title, *body, *tags; /* UTF-8; NULL means empty */
    const char *lang;                /* ISO 639-1 or Snowball name; NULL: the index default */
} retr_doc;

typedef struct {
    int64_t id;
    float score;
} retr_hit;

typedef struct {
    float k1, b_title, b_tags, b_body;   /* BM25 saturation and length normalisation */
    float w_title, w_tags, w_body;       /* field weights */
    int typo;       /* 1: match unknown query words to vocabulary words one edit away */
} retr_params;

/* Fills *p with the defaults (the configuration measured in docs/ai.md). */
void retr_params_default(retr_params *p);

/* Makes an empty index whose documents and queries default to language
 * `lang`; p NULL means the defaults (copied). The caller owns it: retr_free().
 * Returns NULL if out of memory or the language has no stemmer. */
retr_index *retr_new(const char *lang, const retr_params *p);

/* Frees the index (NULL is fine); no search may be running. */
void retr_free(retr_index *ix);

/* Adds a document, replacing the one with the same id if any (texts are copied). */
int retr_add(retr_index *ix, const retr_doc *doc);

/* Removes the document with that id (RETR_ENOTFOUND if none). */
int retr_remove(retr_index *ix, int64_t id);

/* Number of documents in the index. */
size_t retr_count(retr_index *ix);

/* Ranks the documents for `query` (only those of language `lang`, unless
 * NULL) and writes the best min(k, matches) into hits[0..k), best first;
 * *nhits says how many. A query of more than 32 distinct terms (a long text
 * to find articles for) is searched by its 32 of highest weight * idf.
 * The smaller k, the more documents the pruning skips. */
int retr_search(retr_index *ix, const char *query, const char *lang, size_t k,
                retr_hit *hits, size_t *nhits);

/* Whether a document may be returned (ctx: the caller's); called under the
 * index's read lock, so it must not call into the index. */
typedef bool (*retr_accept)(int64_t id, void *ctx);

/* retr_search over the documents that accept(id, ctx) keeps (accept NULL:
 * all): the exact top k of those, with the pruning of an unfiltered top k
 * (the rest are never ranked, so no larger k is needed to make up for them). */
int retr_search_where(retr_index *ix, const char *query, const char *lang, retr_accept accept,
                      void *ctx, size_t k, retr_hit *hits, size_t *nhits);

/* A snippet of about max_bytes from the document's body (or title if the
 * body is empty) around the densest cluster of query words, HTML-escaped,
 * with matched words wrapped in <mark>...</mark>; "…" marks cuts. The caller
 * frees it; NULL if out of memory or no such document. */
char *retr_snippet(retr_index *ix, int64_t id, const char *query, size_t max_bytes);

#endif
