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
#include <string.h>

#define RETR_NONE UINT32_MAX
enum {
    RETR_TITLE = 0, RETR_TAGS = 1, RETR_BODY = 2, RETR_NFIELDS = 3,
    RETR_MAX_LANGS = 64,  /* document languages of one index (Snowball has ~30, with aliases) */
    RETR_BLOCK = 64,      /* postings per block of a block-max bound */
    RETR_QUERY_TERMS = 32, /* query terms searched: the most discriminative ones (retr_search.c) */
    RETR_SNIPPET_FORMS = 64 /* surface forms of a query's terms that snippets match by hash */
};

typedef struct {
    uint16_t tf[RETR_NFIELDS]; /* occurrences per field (saturating) */
    uint16_t qb;               /* bound of this posting's tfn() at ix->ref (retr_qbound) */
} retr_tf;

/* A positive float rounded up to its top 16 bits (sign, exponent, 7 mantissa
 * bits): monotone, so bounds compare as integers; retr_qvalue() >= v. */
static inline uint16_t retr_qbound(float v)
{
    uint32_t u;
    if (!(v > 0))
        return 0;
    memcpy(&u, &v, sizeof u);
    return (uint16_t)((u >> 16) + ((u & 0xFFFF) != 0));
}

static inline float retr_qvalue(uint16_t q)
{
    uint32_t u = (uint32_t)q << 16;
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* A term and its posting list, sorted by document slot (document-at-a-time
 * search), as two parallel arrays: slots (for skipping) and field tfs. */
typedef struct {
    char *s;          /* the stem, NUL-terminated */
    uint32_t len;
    uint32_t n, cap;  /* postings; n is the document frequency */
    uint32_t *doc;    /* [cap] document slots, ascending */
    retr_tf *tf;      /* [cap] field tfs and bound (8 bytes) */
    float *bmax;      /* [cap / RETR_BLOCK + 1] per block: max of tfn() at ix->ref (retriever.c) */
    float ub;         /* max of bmax: bound of tfn() over all postings at ix->ref */
    uint32_t forms;   /* its latest surface form (index into retr_index.form_links), or RETR_NONE */
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
    bool forms_known;           /* every word of its fields is in the surface forms */
} retr_sdoc;

/* What scoring reads per document slot, kept compact (16 bytes) for the cache. */
typedef struct {
    uint32_t len[RETR_NFIELDS]; /* tokens per field */
    uint32_t lang;              /* index into retr_index.langs */
} retr_dinfo;

/* Working memory of one search or of the writer: owned by one thread at a time. */
typedef struct {
    struct {
        char lang[16];
        text_tokenizer *t;
    } tk[RETR_MAX_LANGS + 1]; /* + the unstemmed one ("") */
    int ntk;
    text_tokens toks, toks2;
    uint8_t *match;           /* snippets: per token, 1 if it matches the query */
    size_t match_cap;
    /* snippets: the terms of the last query (a search's hits share one), valid while
     * the index's vocabulary has qterms_nterms terms (terms are never removed) */
    char *qtext;
    size_t qtext_cap;
    char qlang[16];
    uint32_t qterms[64], nqterms, qterms_nterms;
    /* and the surface forms of those terms in qlang (hash, offset in forms_text), valid while
     * the index has qforms_n forms; nqforms > RETR_SNIPPET_FORMS: too many to list */
    uint64_t qform_h[RETR_SNIPPET_FORMS];
    uint32_t qform_off[RETR_SNIPPET_FORMS], nqforms, qforms_n;
    uint32_t *tpos, tpos_cap; /* analysis: term -> its place in a document's terms + 1, or 0 */
} retr_scratch;

typedef struct {
    uint64_t h;
    uint32_t term;
} retr_del;

/* A surface form (lower-cased word) of a language and its term: documents and
 * snippets look words up here instead of stemming them again. */
typedef struct {
    uint64_t h;    /* 0: empty */
    uint32_t term;
    uint32_t off;  /* in forms_text: language byte, then the form, NUL-terminated */
} retr_form;

/* The surface forms of a term, newest first: a form's offset in forms_text and the form of
 * the same term added before it (RETR_NONE: none). */
typedef struct {
    uint32_t off, next;
} retr_form_link;

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
    retr_form *forms;                      /* surface form -> term, per language */
    uint32_t forms_n, forms_cap;
    char *forms_text;
    size_t forms_len, forms_text_cap;
    retr_form_link *form_links;            /* [forms_n], in the order forms were added */
    uint32_t form_links_cap;
    char langs[RETR_MAX_LANGS][16];        /* document languages seen */
    uint32_t nlangs;
    /* documents */
    retr_sdoc *docs;
    retr_dinfo *dinfo;     /* [doccap] */
    uint32_t ndocs, doccap, nlive;
    uint32_t *free_slots, nfree;
    double sumlen[RETR_NFIELDS];
    float ref[RETR_NFIELDS]; /* average field lengths at which the bounds were computed */
    int64_t *id_keys;
    uint32_t *id_slots, id_cap;
    /* working memory */
    retr_scratch writer;   /* used under the write lock */
    pthread_mutex_t pool_lock;
    retr_scratch **pool;
    size_t npool, pool_cap;
};

/* The BM25F field-weighted, length-normalised term frequency of one posting
 * for the average field lengths avg (the formula of docs/ai.md). */
static inline float retr_tfn(const retr_params *p, const uint16_t *tf, const uint32_t *len,
                             const float *avg)
{
    const float w[RETR_NFIELDS] = { p->w_title, p->w_tags, p->w_body };
    const float b[RETR_NFIELDS] = { p->b_title, p->b_tags, p->b_body };
    float t = 0;
    for (int f = 0; f < RETR_NFIELDS; f++)
        if (tf[f])
            t += w[f] * tf[f] / (1 - b[f] + b[f] * (float)len[f] / avg[f]);
    return t;
}

/* The average field lengths used by scoring (1 for an empty field). */
void retr_avg(const retr_index *ix, float avg[RETR_NFIELDS]);

/* The id of a document language (added if new), or RETR_NONE when the index
 * has RETR_MAX_LANGS already. */
uint32_t retr_lang_id(retr_index *ix, const char *lang);

/* The term of a surface form of language lang, or RETR_NONE. */
uint32_t retr_form_find(const retr_index *ix, uint32_t lang, const char *s, size_t len);

/* The hash the surface forms are kept by. */
uint64_t retr_form_hash(uint32_t lang, const char *s, size_t len);

/* Writes the hashes and forms_text offsets of up to max surface forms of term in language
 * lang into h and off; returns how many it has (more than max when they did not fit). */
uint32_t retr_term_forms(const retr_index *ix, uint32_t term, uint32_t lang, uint64_t *h, uint32_t *off,
                         uint32_t max);

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

/* Tokenizes a document's fields (language id lang) into terms, adding new
 * terms and surface forms; fills d->len and d->terms. Write lock held. */
int retr_analyse(retr_index *ix, retr_sdoc *d, uint32_t lang);

/* The slot of document id, or RETR_NONE. */
uint32_t retr_slot_of(const retr_index *ix, int64_t id);

/* Frees a stored document's memory and zeroes it. */
void retr_doc_clear(retr_sdoc *d);

#endif
