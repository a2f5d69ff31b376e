/* retr_search: typo-tolerant query terms and exact top-k BM25F ranking,
 * document-at-a-time over slot-ordered postings with MaxScore and block-max
 * pruning: a document is scored only while the upper bounds of its terms say
 * it can still enter the top k, so common words cost little. */
#include "ai/retr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Typo tolerance applies to short queries only: longer ones carry enough
 * other words, and near misses there add more noise than they recover. */
enum { MAX_QTERMS = 256, TYPO_MAX_WORDS = 4 };
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
    float k1, avg[RETR_NFIELDS];
    float n;     /* live documents */
    float scale; /* bounds at ix->ref times this bound them at avg */
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

/* Keeps the RETR_QUERY_TERMS terms of highest weight * idf (in query order). */
static void cap_query(const retr_index *ix, const bm25f *c, query *q)
{
    float v[MAX_QTERMS], cut;
    int n = 0, above = 0;
    if (q->n <= RETR_QUERY_TERMS)
        return;
    for (int i = 0; i < q->n; i++)
        v[i] = q->t[i].w * idf(c, ix->terms[q->t[i].term].n);
    /* the RETR_QUERY_TERMS-th largest value, by selection over a copy */
    {
        float tmp[MAX_QTERMS];
        memcpy(tmp, v, (size_t)q->n * sizeof *v);
        for (int i = 0; i < RETR_QUERY_TERMS; i++) {
            int m = i;
            for (int j = i + 1; j < q->n; j++)
                if (tmp[j] > tmp[m])
                    m = j;
            float x = tmp[i];
            tmp[i] = tmp[m];
            tmp[m] = x;
        }
        cut = tmp[RETR_QUERY_TERMS - 1];
    }
    for (int i = 0; i < q->n; i++)
        above += v[i] > cut;
    /* all above the cut, then the first ones equal to it */
    for (int i = 0, eq = RETR_QUERY_TERMS - above; i < q->n; i++)
        if (v[i] > cut || (v[i] == cut && eq-- > 0))
            q->t[n++] = q->t[i];
    q->n = n;
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

/* One query term's walk along its postings. */
typedef struct {
    const uint32_t *doc;
    const retr_tf *tf;
    const float *bmax;
    uint32_t n, pos;
    float wi;        /* query weight * idf */
    float ub;        /* bound of its score contribution */
    uint32_t block;  /* block of bscore, or RETR_NONE */
    float bscore;    /* bound of its contribution in that block */
    uint32_t blast;  /* that block's last slot */
    uint16_t qmin;   /* postings with a lower qb cannot reach the k-th score */
} cursor;

/* A term's contribution bound for a tfn() bound tb at the reference lengths. */
static float bound_score(const bm25f *c, float wi, float tb)
{
    float t = tb * c->scale;
    return wi * t * (c->k1 + 1) / (c->k1 + t) * 1.001f;
}

/* The least stored bound (retr_qbound) of a posting whose contribution bound
 * (bound_score) can reach x; postings below it cannot. */
static uint16_t min_qbound(const bm25f *c, float wi, float x)
{
    float y = x / (wi * 1.001f), u;
    if (!(y < c->k1 + 1))
        return UINT16_MAX; /* out of reach: sat(u) < k1 + 1 */
    u = c->k1 * y / (c->k1 + 1 - y);        /* sat(u) = u (k1 + 1) / (k1 + u) = y */
    return retr_qbound(u / c->scale * (1 - 1e-4f));
}

/* The contribution of the posting under cu (the formula of docs/ai.md). */
static float contrib(const retr_index *ix, const bm25f *c, const cursor *cu)
{
    float tf = retr_tfn(&ix->p, cu->tf[cu->pos].tf, ix->dinfo[cu->doc[cu->pos]].len, c->avg);
    return cu->wi * tf * (c->k1 + 1) / (c->k1 + tf);
}

/* Moves cu to its first posting at a slot >= target (galloping search). */
static void seek(cursor *cu, uint32_t target)
{
    uint32_t lo = cu->pos, hi, step = 1;
    if (lo >= cu->n || cu->doc[lo] >= target)
        return;
    for (;;) { /* doc[lo] < target */
        hi = lo + step;
        if (hi >= cu->n) {
            hi = cu->n;
            break;
        }
        if (cu->doc[hi] >= target)
            break;
        lo = hi;
        step *= 2;
    }
    lo++;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cu->doc[mid] < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    cu->pos = lo;
}

/* The bound of cu's contribution in its current block; *last: the block's last slot. */
static float block_score(const bm25f *c, cursor *cu, uint32_t *last)
{
    uint32_t b = cu->pos / RETR_BLOCK;
    if (b != cu->block) {
        uint32_t end = (b + 1) * RETR_BLOCK;
        cu->block = b;
        cu->bscore = bound_score(c, cu->wi, cu->bmax[b]);
        cu->blast = cu->doc[(end < cu->n ? end : cu->n) - 1];
    }
    *last = cu->blast;
    return cu->bscore;
}

/* Which documents may be ranked: language lid (RETR_NONE: any) and accept. */
typedef struct {
    uint32_t lid;
    retr_accept accept;
    void *ctx;
} where;

/* The k best documents that w admits for the query into hits (a heap while it
 * runs); returns how many. */
static size_t rank(const retr_index *ix, const bm25f *c, const query *q, const where *w, size_t k,
                   retr_hit *hits)
{
    cursor cur[RETR_QUERY_TERMS], *ord[RETR_QUERY_TERMS];
    float pre[RETR_QUERY_TERMS + 1], part[RETR_QUERY_TERMS];
    float theta = 0; /* documents scoring below this cannot enter the heap */
    float qtheta = 0; /* the theta and e the cursors' qmin are for */
    int qe = -1;
    size_t nh = 0;
    int m = 0, e = 0;
    if (!k)
        return 0;
    for (int i = 0; i < q->n; i++) {
        const retr_term *t = &ix->terms[q->t[i].term];
        cursor *cu = &cur[m];
        if (!t->n)
            continue;
        *cu = (cursor){ .doc = t->doc, .tf = t->tf, .bmax = t->bmax, .n = t->n,
                        .wi = q->t[i].w * idf(c, t->n), .block = RETR_NONE };
        cu->ub = bound_score(c, cu->wi, t->ub);
        /* insertion by bound, ascending */
        int j = m++;
        while (j > 0 && ord[j - 1]->ub > cu->ub) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = cu;
    }
    pre[0] = 0;
    for (int j = 0; j < m; j++)
        pre[j + 1] = pre[j] + ord[j]->ub;
    for (;;) {
        uint32_t d = RETR_NONE;
        uint64_t have = 0;
        float partial = 0;
        bool pruned = false;
        if (theta > 0) {
            /* skip, by an integer compare, the postings of an essential term whose own bound
             * plus the bounds of all other terms cannot reach the k-th score: their document
             * cannot enter, whichever list it is found through (if it is found through
             * another, the contribution missed here does not matter) */
            if (theta != qtheta || e != qe) {
                float sum = pre[m] - pre[e];
                qtheta = theta;
                qe = e;
                for (int j = e; j < m; j++)
                    ord[j]->qmin = min_qbound(c, ord[j]->wi, theta - pre[e] - (sum - ord[j]->ub));
            }
            for (int j = e; j < m; j++) {
                cursor *cu = ord[j];
                while (cu->pos < cu->n && cu->tf[cu->pos].qb < cu->qmin)
                    cu->pos++;
            }
        }
        /* the next candidate: the lowest slot among the essential terms */
        for (int j = e; j < m; j++)
            if (ord[j]->pos < ord[j]->n && ord[j]->doc[ord[j]->pos] < d)
                d = ord[j]->doc[ord[j]->pos];
        if (d == RETR_NONE)
            break;
        if (w->lid != RETR_NONE && ix->dinfo[d].lang != w->lid) {
            for (int j = e; j < m; j++)
                if (ord[j]->pos < ord[j]->n && ord[j]->doc[ord[j]->pos] == d)
                    ord[j]->pos++;
            continue;
        }
        if (theta > 0) {
            /* block-max: the essential terms' current blocks bound every slot up to `end` */
            float bound = pre[e];
            uint32_t end = RETR_NONE;
            for (int j = e; j < m; j++) {
                cursor *cu = ord[j];
                uint32_t last;
                if (cu->pos >= cu->n)
                    continue;
                bound += block_score(c, cu, &last);
                end = last < end ? last : end;
            }
            if (bound < theta) {
                for (int j = e; j < m; j++)
                    seek(ord[j], end == RETR_NONE ? end : end + 1);
                continue;
            }
        }
        if (theta > 0) {
            /* the document's own bound, from the postings' stored bounds (tfn() needs the
             * document's lengths and divisions) */
            float bound = pre[e];
            for (int j = e; j < m; j++) {
                const cursor *cu = ord[j];
                if (cu->pos < cu->n && cu->doc[cu->pos] == d)
                    bound += bound_score(c, cu->wi, retr_qvalue(cu->tf[cu->pos].qb));
            }
            if (bound < theta) {
                for (int j = e; j < m; j++)
                    if (ord[j]->pos < ord[j]->n && ord[j]->doc[ord[j]->pos] == d)
                        ord[j]->pos++;
                continue;
            }
        }
        for (int j = e; j < m; j++) {
            cursor *cu = ord[j];
            if (cu->pos < cu->n && cu->doc[cu->pos] == d) {
                float v = contrib(ix, c, cu);
                part[cu - cur] = v;
                partial += v;
                have |= 1ull << (cu - cur);
                cu->pos++;
            }
        }
        for (int j = e - 1; j >= 0; j--) {
            cursor *cu = ord[j];
            if (partial + pre[j + 1] < theta) {
                pruned = true;
                break;
            }
            seek(cu, d);
            if (cu->pos < cu->n && cu->doc[cu->pos] == d) {
                float v = contrib(ix, c, cu);
                part[cu - cur] = v;
                partial += v;
                have |= 1ull << (cu - cur);
            }
        }
        if (pruned)
            continue;
        /* the exact score, added up in query order like every other search */
        {
            float score = 0;
            retr_hit h;
            for (int i = 0; i < m; i++) /* cur[] is in query order */
                if (have >> i & 1)
                    score += part[i];
            if (nh == k && score < hits[0].score)
                continue; /* (before reading the id: a cache miss) */
            h = (retr_hit){ ix->docs[d].id, score };
            if (w->accept && !w->accept(h.id, w->ctx))
                continue; /* only admitted documents make the k-th score */
            if (nh < k) {
                hits[nh++] = h;
                if (nh == k)
                    for (size_t j = k / 2 + 1; j-- > 0;)
                        sift(hits, nh, j);
            } else if (better(&h, &hits[0])) {
                hits[0] = h;
                sift(hits, nh, 0);
            } else {
                continue;
            }
            if (nh == k) {
                theta = hits[0].score * (1 - 1e-5f);
                while (e < m && pre[e + 1] < theta)
                    e++;
            }
        }
    }
    qsort(hits, nh, sizeof *hits, cmp_hit);
    return nh;
}

int retr_search(retr_index *ix, const char *query_text, const char *lang, size_t k,
                retr_hit *hits, size_t *nhits)
{
    return retr_search_where(ix, query_text, lang, NULL, NULL, k, hits, nhits);
}

int retr_search_where(retr_index *ix, const char *query_text, const char *lang, retr_accept accept,
                      void *ctx, size_t k, retr_hit *hits, size_t *nhits)
{
    retr_scratch *s = retr_scratch_get(ix);
    text_tokenizer *tk;
    query q;
    bm25f c;
    where w = { .lid = RETR_NONE, .accept = accept, .ctx = ctx };
    int rc = RETR_ENOMEM;
    *nhits = 0;
    if (!s)
        return RETR_ENOMEM;
    pthread_rwlock_rdlock(&ix->lock);
    if (!(tk = retr_tokenizer(s, lang ? lang : ix->lang))) {
        rc = RETR_ELANG;
        goto done;
    }
    if (text_tokenize(tk, query_text, strlen(query_text), &s->toks) != TEXT_OK)
        goto done;
    rc = RETR_OK;
    if (lang) {
        for (w.lid = 0; w.lid < ix->nlangs && strcmp(ix->langs[w.lid], lang); w.lid++)
            ;
        if (w.lid == ix->nlangs)
            goto done; /* no document of that language */
    }
    c = (bm25f){ .k1 = ix->p.k1, .n = (float)ix->nlive, .scale = 1 };
    retr_avg(ix, c.avg);
    for (int f = 0; f < RETR_NFIELDS; f++)
        if (c.avg[f] > ix->ref[f] && c.avg[f] / ix->ref[f] > c.scale)
            c.scale = c.avg[f] / ix->ref[f];
    build_query(ix, &s->toks, &q);
    cap_query(ix, &c, &q);
    *nhits = rank(ix, &c, &q, &w, k, hits);
done:
    pthread_rwlock_unlock(&ix->lock);
    retr_scratch_put(ix, s);
    return rc;
}
