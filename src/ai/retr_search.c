/* retr_search: BM25F term-at-a-time scoring into a per-search score array,
 * typo-tolerant query terms and a top-k heap. */
#include "ai/retr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Typo tolerance applies to short queries only: longer ones carry enough
 * other words, and near misses there add more noise than they recover. */
enum { MAX_QTERMS = 64, TYPO_MAX_WORDS = 4 };
#define TYPO_WEIGHT 0.7f
/* Stop words count, but less: they carry intent (what, when, how) more than topic. */
#define STOP_WEIGHT 0.6f

typedef struct {
    uint32_t term;
    float w;
} qterm;

typedef struct {
    qterm t[MAX_QTERMS];
    int n;
} query;

/* Per-search constants of BM25F. */
typedef struct {
    float k1, w[RETR_NFIELDS], b[RETR_NFIELDS], avg[RETR_NFIELDS];
    float n; /* live documents */
} bm25f;

static void add_qterm(query *q, uint32_t term, float w)
{
    for (int i = 0; i < q->n; i++) {
        if (q->t[i].term == term) {
            q->t[i].w += w;
            return;
        }
    }
    if (q->n < MAX_QTERMS)
        q->t[q->n++] = (qterm){ term, w };
}

typedef struct {
    const retr_index *ix;
    query *q;
    int nnear;
    uint32_t near[8];
} near_acc;

static void on_near(uint32_t term, void *ctx)
{
    near_acc *a = ctx;
    if (a->ix->terms[term].n && a->nnear < 8)
        a->near[a->nnear++] = term;
}

/* Turns the tokens of the query into weighted terms: stop words at a lower
 * weight, unknown words of short queries through their near misses. */
static void build_query(const retr_index *ix, const text_tokens *tt, query *q)
{
    size_t ncontent = 0;
    bool typo;
    q->n = 0;
    for (size_t i = 0; i < tt->n; i++)
        ncontent += !tt->tok[i].stop;
    typo = ix->p.typo && ncontent <= TYPO_MAX_WORDS;
    for (size_t i = 0; i < tt->n; i++) {
        const text_token *tk = &tt->tok[i];
        uint32_t term;
        term = retr_term_find(ix, tk->stem, tk->stem_len);
        if (term != RETR_NONE && ix->terms[term].n) {
            add_qterm(q, term, tk->stop ? STOP_WEIGHT : 1);
        } else if (typo) {
            near_acc a = { .ix = ix, .q = q };
            retr_term_near(ix, tk->stem, tk->stem_len, on_near, &a);
            if (!a.nnear && strcmp(tk->stem, tk->norm)) /* the surface form may be nearer */
                retr_term_near(ix, tk->norm, tk->norm_len, on_near, &a);
            for (int k = 0; k < a.nnear; k++)
                add_qterm(q, a.near[k], TYPO_WEIGHT / (float)a.nnear);
        }
    }
}

static float idf(const bm25f *c, uint32_t df)
{
    return logf(1.0f + (c->n - (float)df + 0.5f) / ((float)df + 0.5f));
}

static void accumulate(const retr_index *ix, retr_scratch *s, const bm25f *c, uint32_t term, float w)
{
    const retr_term *t = &ix->terms[term];
    const float wi = w * idf(c, t->n);
    for (uint32_t i = 0; i < t->n; i++) {
        const retr_posting *p = &t->post[i];
        const retr_sdoc *d = &ix->docs[p->doc];
        float tf = 0;
        for (int f = 0; f < RETR_NFIELDS; f++)
            if (p->tf[f])
                tf += c->w[f] * p->tf[f] / (1 - c->b[f] + c->b[f] * (float)d->len[f] / c->avg[f]);
        if (s->acc[p->doc] == 0)
            s->touched[s->ntouched++] = p->doc;
        s->acc[p->doc] += wi * tf * (c->k1 + 1) / (c->k1 + tf);
    }
}

static bool better(const retr_hit *a, const retr_hit *b)
{
    return a->score > b->score || (a->score == b->score && a->id < b->id);
}

/* Sift-down in a min-heap (worst hit at the root) of n hits. */
static void sift(retr_hit *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && better(&h[m], &h[l]))
            m = l;
        if (r < n && better(&h[m], &h[r]))
            m = r;
        if (m == i)
            return;
        retr_hit t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int cmp_hit(const void *a, const void *b)
{
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* The best k touched documents of language lang (NULL: any) into hits, sorted. */
static size_t top_k(const retr_index *ix, const retr_scratch *s, const char *lang, size_t k,
                    retr_hit *hits)
{
    size_t n = 0;
    if (!k)
        return 0;
    for (uint32_t i = 0; i < s->ntouched; i++) {
        const retr_sdoc *d = &ix->docs[s->touched[i]];
        retr_hit h = { d->id, s->acc[s->touched[i]] };
        if (lang && strcmp(d->lang, lang))
            continue;
        if (n < k) {
            hits[n++] = h;
            if (n == k)
                for (size_t j = k / 2 + 1; j-- > 0;)
                    sift(hits, n, j);
        } else if (better(&h, &hits[0])) {
            hits[0] = h;
            sift(hits, n, 0);
        }
    }
    qsort(hits, n, sizeof *hits, cmp_hit);
    return n;
}

/* Makes the score array as large as the document slots. */
static int reserve_acc(retr_scratch *s, uint32_t ndocs)
{
    float *na;
    uint32_t *nt;
    if (ndocs <= s->acc_cap)
        return RETR_OK;
    if (!(na = realloc(s->acc, ndocs * sizeof *na)))
        return RETR_ENOMEM;
    s->acc = na;
    memset(na + s->acc_cap, 0, (ndocs - s->acc_cap) * sizeof *na);
    if (!(nt = realloc(s->touched, ndocs * sizeof *nt)))
        return RETR_ENOMEM;
    s->touched = nt;
    s->acc_cap = ndocs;
    return RETR_OK;
}

int retr_search(retr_index *ix, const char *query_text, const char *lang, size_t k,
                retr_hit *hits, size_t *nhits)
{
    retr_scratch *s = retr_scratch_get(ix);
    text_tokenizer *tk;
    query q;
    bm25f c;
    int rc = RETR_ENOMEM;
    *nhits = 0;
    if (!s)
        return RETR_ENOMEM;
    pthread_rwlock_rdlock(&ix->lock);
    if (!(tk = retr_tokenizer(s, lang ? lang : ix->lang))) {
        rc = RETR_ELANG;
        goto done;
    }
    if (reserve_acc(s, ix->ndocs) != RETR_OK ||
        text_tokenize(tk, query_text, strlen(query_text), &s->toks) != TEXT_OK)
        goto done;
    c = (bm25f){ .k1 = ix->p.k1, .n = (float)ix->nlive,
                 .w = { ix->p.w_title, ix->p.w_tags, ix->p.w_body },
                 .b = { ix->p.b_title, ix->p.b_tags, ix->p.b_body } };
    for (int f = 0; f < RETR_NFIELDS; f++)
        c.avg[f] = ix->nlive && ix->sumlen[f] > 0 ? (float)(ix->sumlen[f] / ix->nlive) : 1;
    build_query(ix, &s->toks, &q);
    for (int i = 0; i < q.n; i++)
        accumulate(ix, s, &c, q.t[i].term, q.t[i].w);
    *nhits = top_k(ix, s, lang, k, hits);
    rc = RETR_OK;
done:
    for (uint32_t i = 0; i < s->ntouched; i++)
        s->acc[s->touched[i]] = 0;
    s->ntouched = 0;
    pthread_rwlock_unlock(&ix->lock);
    retr_scratch_put(ix, s);
    return rc;
}
