/* retr_internal: the retriever's index layout, shared by retriever.c (index
 * upkeep), retr_vocab.c (terms, analysis, working memory), retr_search.c and
 * retr_snippet.c. Not for other modules. */
#ifndef PARLEY_AI_RETR_INTERNAL_H
#define PARLEY_AI_RETR_INTERNAL_H

#include "ai/retriever.h"
#include "ai/text.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define RETR_NONE UINT32_MAX
enum { RETR_TITLE = 0, RETR_TAGS = 1, RETR_BODY = 2, RETR_NFIELDS = 3, RETR_MAX_LANGS = 8 };

typedef struct {
    uint32_t doc;                /* document slot */
    uint16_t tf[RETR_NFIELDS];   /* occurrences per field (saturating) */
} retr_posting;

typedef struct {
    char *s;          /* the stem, NUL-terminated */
    uint32_t len;
    uint32_t n, cap;  /* postings; n is the document frequency */
    retr_posting *post;
} retr_term;

typedef struct {
    uint32_t term;
    uint16_t tf[RETR_NFIELDS];
} retr_dterm;

/* A stored document. */
typedef struct {
    int64_t id;
    char lang[16];
    char *text[RETR_NFIELDS];   /* title, tags, body; NULL for a free slot */
    uint32_t len[RETR_NFIELDS]; /* tokens per field */
    retr_dterm *terms;          /* its distinct terms (to unpost it on removal) */
    uint32_t nterms;
} retr_sdoc;

/* Working memory of one search or of the writer: owned by one thread at a time. */
typedef struct {
    struct {
        char lang[16];
        text_tokenizer *t;
    } tk[RETR_MAX_LANGS];
    int ntk;
    text_tokens toks;
    float *acc;          /* [acc_cap] scores per slot, 0 when untouched */
    uint32_t *touched, acc_cap, ntouched;
    uint32_t *tpos, tpos_cap; /* analysis: term -> its place in a document's terms + 1, or 0 */
} retr_scratch;

typedef struct {
    uint64_t h;
    uint32_t term;
} retr_del;

struct retr_index {
    pthread_rwlock_t lock; /* guards everything but the pool */
    char lang[16];
    retr_params p;
    /* vocabulary */
    retr_term *terms;
    uint32_t nterms, terms_cap;
    uint32_t *term_table, term_table_cap; /* term ids by stem hash */
    retr_del *del_table;                   /* stems and their one-deletion variants */
    uint32_t del_n, del_cap;
    /* documents */
    retr_sdoc *docs;
    uint32_t ndocs, doccap, nlive;
    uint32_t *free_slots, nfree;
    double sumlen[RETR_NFIELDS];
    int64_t *id_keys;
    uint32_t *id_slots, id_cap;
    /* working memory */
    retr_scratch writer;   /* used under the write lock */
    pthread_mutex_t pool_lock;
    retr_scratch **pool;
    size_t npool, pool_cap;
};

/* Prepares empty working memory. */
int retr_scratch_init(retr_scratch *s);

/* Frees what a scratch holds (not the struct). */
void retr_scratch_clear(retr_scratch *s);

/* The scratch's tokenizer for lang, made on first use; NULL if unknown/OOM. */
text_tokenizer *retr_tokenizer(retr_scratch *s, const char *lang);

/* Takes a scratch from the index's pool (or makes one); NULL if out of memory. */
retr_scratch *retr_scratch_get(retr_index *ix);

/* Gives a scratch back to the pool. */
void retr_scratch_put(retr_index *ix, retr_scratch *s);

/* The id of a term, or RETR_NONE. */
uint32_t retr_term_find(const retr_index *ix, const char *s, size_t len);

/* Calls fn(term, ctx) for every term one edit (Damerau) away from s. */
void retr_term_near(const retr_index *ix, const char *s, size_t len,
                    void (*fn)(uint32_t term, void *ctx), void *ctx);

/* Tokenizes a document's fields with the writer's tokenizer for its
 * language, adding new terms; fills d->len and d->terms. Write lock held. */
int retr_analyse(retr_index *ix, retr_sdoc *d);

/* The slot of document id, or RETR_NONE. */
uint32_t retr_slot_of(const retr_index *ix, int64_t id);

/* Frees a stored document's memory and zeroes it. */
void retr_doc_clear(retr_sdoc *d);

#endif
