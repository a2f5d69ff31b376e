#include "kb/index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ai/retriever.h"
#include "util/log.h"

#define MAX_NATIVE 32

/* What the index keeps per article beside the retriever's document. */
struct meta {
    int64_t id;                 /* 0: free slot */
    int64_t version;
    int64_t category_id;
    char *title;
    char language[16];
    bool internal, present;     /* present: searchable (not dropped) */
};

struct kb_index {
    retr_index *retr;
    pthread_rwlock_t lock;      /* guards what follows; taken after the retriever's own */
    struct meta *slots;         /* open addressing by id, never shrinks (dropped ids stay) */
    size_t cap, used, present;
    char native[MAX_NATIVE][16]; /* languages indexed with their own stemmer */
    int nnative;
};

struct kb_index *kb_index_new(void)
{
    struct kb_index *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->retr = retr_new("en", NULL)))
        abort();
    pthread_rwlock_init(&ix->lock, NULL);
    return ix;
}

void kb_index_free(struct kb_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->cap; i++)
        free(ix->slots[i].title);
    free(ix->slots);
    retr_free(ix->retr);
    pthread_rwlock_destroy(&ix->lock);
    free(ix);
}

static size_t slot_of(size_t cap, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

/* The entry of id, or NULL. Lock held. */
static struct meta *find(const struct kb_index *ix, int64_t id)
{
    if (!ix->cap)
        return NULL;
    for (size_t i = slot_of(ix->cap, id);; i = (i + 1) & (ix->cap - 1)) {
        if (ix->slots[i].id == id)
            return &ix->slots[i];
        if (!ix->slots[i].id)
            return NULL;
    }
}

/* The entry of id, made when missing. Write lock held. */
static struct meta *find_or_add(struct kb_index *ix, int64_t id)
{
    struct meta *m = find(ix, id);
    if (m)
        return m;
    if ((ix->used + 1) * 2 > ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 1024;
        struct meta *slots = calloc(cap, sizeof *slots);
        if (!slots)
            abort();
        for (size_t i = 0; i < ix->cap; i++) {
            if (!ix->slots[i].id)
                continue;
            size_t j = slot_of(cap, ix->slots[i].id);
            while (slots[j].id)
                j = (j + 1) & (cap - 1);
            slots[j] = ix->slots[i];
        }
        free(ix->slots);
        ix->slots = slots;
        ix->cap = cap;
    }
    size_t i = slot_of(ix->cap, id);
    while (ix->slots[i].id)
        i = (i + 1) & (ix->cap - 1);
    ix->used++;
    ix->slots[i].id = id;
    return &ix->slots[i];
}

static bool is_native(const struct kb_index *ix, const char *language)
{
    for (int i = 0; i < ix->nnative; i++)
        if (strcmp(ix->native[i], language) == 0)
            return true;
    return false;
}

enum err kb_index_put(struct kb_index *ix, const struct kb_doc *d)
{
    enum err e = ERR_OK;
    const char *lang = d->language && *d->language ? d->language : "en";
    if (strlen(lang) >= sizeof ix->native[0])
        return ERR_VALIDATION;
    pthread_rwlock_wrlock(&ix->lock);
    struct meta *m = find_or_add(ix, d->id);
    if (m->version > d->version)
        goto done;
    retr_doc doc = {.id = d->id, .title = d->title, .body = d->text, .tags = d->tags, .lang = lang};
    int rc = retr_add(ix->retr, &doc);
    if (rc == RETR_ELANG) {
        /* no stemmer for it (or too many languages): words are matched unstemmed-English,
         * and the language filter is applied here instead */
        doc.lang = NULL;
        rc = retr_add(ix->retr, &doc);
    } else if (rc == RETR_OK && !is_native(ix, lang) && ix->nnative < MAX_NATIVE) {
        strcpy(ix->native[ix->nnative++], lang);
    }
    if (rc != RETR_OK) {
        log_error("kb index: cannot add article %lld (retriever error %d)", (long long)d->id, rc);
        e = ERR_INTERNAL;
        goto done;
    }
    char *title = strndup(d->title ? d->title : "", KB_TITLE_MAX);
    if (!title)
        abort();
    title[kb_utf8_prefix(title, KB_TITLE_MAX)] = 0;
    free(m->title);
    m->title = title;
    m->version = d->version;
    m->category_id = d->category_id;
    m->internal = d->internal;
    strcpy(m->language, lang);
    ix->present += !m->present;
    m->present = true;
done:
    pthread_rwlock_unlock(&ix->lock);
    return e;
}

void kb_index_drop(struct kb_index *ix, int64_t id, int64_t version)
{
    pthread_rwlock_wrlock(&ix->lock);
    struct meta *m = find_or_add(ix, id);
    if (m->version <= version) {
        m->version = version;
        if (m->present) {
            retr_remove(ix->retr, id);
            m->present = false;
            ix->present--;
        }
    }
    pthread_rwlock_unlock(&ix->lock);
}

int64_t kb_index_version(struct kb_index *ix, int64_t id)
{
    pthread_rwlock_rdlock(&ix->lock);
    const struct meta *m = find(ix, id);
    int64_t v = m ? m->version : 0;
    pthread_rwlock_unlock(&ix->lock);
    return v;
}

size_t kb_index_count(struct kb_index *ix)
{
    pthread_rwlock_rdlock(&ix->lock);
    size_t n = ix->present;
    pthread_rwlock_unlock(&ix->lock);
    return n;
}

size_t kb_utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool passes(const struct meta *m, const struct kb_filter *flt)
{
    if (!m || !m->present || (m->internal && !flt->internal))
        return false;
    if (flt->language && strcmp(m->language, flt->language) != 0)
        return false;
    return !flt->ncategories ||
           (m->category_id && bsearch(&m->category_id, flt->categories, flt->ncategories, sizeof *flt->categories, cmp_id));
}

/* A NUL-terminated copy of at most KB_QUERY_MAX bytes of query (caller frees). */
static char *cut_query(const char *query)
{
    char *q = strndup(query, kb_utf8_prefix(query, KB_QUERY_MAX));
    if (!q)
        abort();
    return q;
}

/* The retriever's filter: the article is searchable and passes the kb filter. Lock held. */
struct admit {
    const struct kb_index *ix;
    const struct kb_filter *flt;
};

static bool admits(int64_t id, void *ctx)
{
    const struct admit *a = ctx;
    return passes(find(a->ix, id), a->flt);
}

enum err kb_index_search(struct kb_index *ix, const char *query, const struct kb_filter *flt, size_t offset,
                         size_t limit, struct kb_hit *out, size_t *n, bool *more)
{
    enum err e = ERR_OK;
    char *q = cut_query(query);
    const size_t want = offset + limit + 1; /* one more than the page says whether more follow */
    retr_hit *hits = malloc(want * sizeof *hits);
    size_t nhits = 0;
    struct admit a = {ix, flt};
    if (!hits)
        abort();
    *n = 0;
    /* the filters are applied inside the ranking, so the retriever ranks exactly the page and
     * one more (a larger k only lowers the k-th score and weakens its pruning); the index's lock
     * comes first, as in kb_index_put */
    pthread_rwlock_rdlock(&ix->lock);
    const char *lang = flt->language && is_native(ix, flt->language) ? flt->language : NULL;
    if (retr_search_where(ix->retr, q, lang, admits, &a, want, hits, &nhits) != RETR_OK)
        e = ERR_INTERNAL;
    for (size_t i = offset; !e && i < nhits && *n < limit; i++) {
        const struct meta *m = find(ix, hits[i].id);
        struct kb_hit *h = &out[(*n)++];
        h->id = m->id;
        h->score = hits[i].score;
        strcpy(h->title, m->title);
    }
    pthread_rwlock_unlock(&ix->lock);
    *more = !e && nhits == want;
    free(hits);
    free(q);
    return e;
}

char *kb_index_snippet(struct kb_index *ix, int64_t id, const char *query)
{
    char *q = cut_query(query);
    char *s = retr_snippet(ix->retr, id, q, KB_SNIPPET_BYTES);
    free(q);
    return s;
}
