/* classifier: the model, its vocabulary, prediction and online updates.
 * Training is in clf_train.c, the binary format in clf_io.c. */
#include "ai/clf_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { UPDATE_MAX_STEPS = 20 };
/* Four floats in one SSE/NEON register (a GCC/Clang vector extension). */
typedef float vec4 __attribute__((vector_size(16)));
#define UPDATE_RATE 0.5f

struct clf_ctx {
    text_tokenizer *tok;
    feat_set fs;
    clf_x *x;
    uint32_t *xtok;
    float *tokw; /* per-token contribution, for explanations */
    size_t xcap, tokcap;
    float *s[CLF_MEMBERS]; /* [nlabels] each: a member's logits, then probabilities */
    float *p;    /* [nlabels]: the ensemble's probabilities */
};

clf_model *clf_model_new(const char *lang, char *const *labels, uint32_t nlabels,
                         uint32_t feat_hint, uint32_t nmem)
{
    clf_model *m = calloc(1, sizeof *m);
    uint32_t cap = 1; /* a loaded model's size follows its file's, however small */
    if (!m || strlen(lang) >= sizeof m->lang || !nmem || nmem > CLF_MEMBERS)
        goto fail;
    strcpy(m->lang, lang);
    m->oos = -1;
    while (cap < feat_hint && cap < (1u << 30))
        cap *= 2;
    m->featcap = cap;
    m->tcap = cap * 2;
    m->labels = calloc(nlabels, sizeof *m->labels);
    m->keys = calloc(m->tcap, sizeof *m->keys);
    m->slots = malloc(m->tcap * sizeof *m->slots);
    m->idf = calloc(cap, sizeof *m->idf);
    if (!m->labels || !m->keys || !m->slots || !m->idf)
        goto fail;
    for (m->nmem = 0; m->nmem < nmem; m->nmem++) {
        m->temp[m->nmem] = 1;
        m->w[m->nmem] = calloc((size_t)cap * nlabels, sizeof *m->w[0]);
        m->bias[m->nmem] = calloc(nlabels, sizeof *m->bias[0]);
        if (!m->w[m->nmem] || !m->bias[m->nmem])
            goto fail;
    }
    m->nlabels = nlabels;
    for (uint32_t i = 0; i < nlabels; i++) {
        if (!(m->labels[i] = strdup(labels[i])))
            goto fail;
        if (!strcmp(labels[i], CLF_OOS_LABEL))
            m->oos = (int32_t)i;
    }
    return m;
fail:
    clf_free(m);
    return NULL;
}

void clf_free(clf_model *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; m->labels && i < m->nlabels; i++)
        free(m->labels[i]);
    free(m->labels);
    free(m->keys);
    free(m->slots);
    free(m->idf);
    for (uint32_t k = 0; k < CLF_MEMBERS; k++) {
        free(m->w[k]);
        free(m->bias[k]);
    }
    free(m);
}

int clf_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

uint32_t clf_vocab_find(const clf_model *m, uint64_t id)
{
    uint32_t mask = m->tcap - 1, i = (uint32_t)id & mask;
    while (m->keys[i]) {
        if (m->keys[i] == id)
            return m->slots[i];
        i = (i + 1) & mask;
    }
    return CLF_NO_FEATURE;
}

static void table_put(uint64_t *keys, uint32_t *slots, uint32_t tcap, uint64_t id, uint32_t idx)
{
    uint32_t mask = tcap - 1, i = (uint32_t)id & mask;
    while (keys[i])
        i = (i + 1) & mask;
    keys[i] = id;
    slots[i] = idx;
}

/* Doubles the feature capacity (and the table with it). */
static int grow(clf_model *m)
{
    uint32_t cap = m->featcap * 2, tcap = cap * 2;
    uint64_t *keys;
    uint32_t *slots;
    float *idf;
    if (m->featcap >= (1u << 29))
        return CLF_ENOMEM;
    keys = calloc(tcap, sizeof *keys);
    slots = malloc(tcap * sizeof *slots);
    if (!keys || !slots) {
        free(keys);
        free(slots);
        return CLF_ENOMEM;
    }
    for (uint32_t i = 0; i < m->tcap; i++)
        if (m->keys[i])
            table_put(keys, slots, tcap, m->keys[i], m->slots[i]);
    free(m->keys);
    free(m->slots);
    m->keys = keys;
    m->slots = slots;
    m->tcap = tcap;
    if (!(idf = realloc(m->idf, cap * sizeof *idf)))
        return CLF_ENOMEM;
    m->idf = idf;
    for (uint32_t k = 0; k < m->nmem; k++) {
        float *w = realloc(m->w[k], (size_t)cap * m->nlabels * sizeof *w);
        if (!w)
            return CLF_ENOMEM;
        m->w[k] = w;
        memset(w + (size_t)m->featcap * m->nlabels, 0,
               (size_t)(cap - m->featcap) * m->nlabels * sizeof *w);
    }
    m->featcap = cap;
    return CLF_OK;
}

uint32_t clf_vocab_add(clf_model *m, uint64_t id, float idf)
{
    uint32_t idx = clf_vocab_find(m, id);
    if (idx != CLF_NO_FEATURE)
        return idx;
    if (m->nfeat == m->featcap && grow(m) != CLF_OK)
        return CLF_NO_FEATURE;
    idx = m->nfeat++;
    table_put(m->keys, m->slots, m->tcap, id, idx);
    m->idf[idx] = idf;
    return idx;
}

size_t clf_vectorise(const clf_model *m, const feat_set *fs, clf_x *x, uint32_t *tok)
{
    size_t n = 0;
    double norm[FEAT_KINDS] = { 0 };
    float inv[FEAT_KINDS];
    for (size_t i = 0; i < fs->n; i++) {
        uint32_t idx = clf_vocab_find(m, fs->f[i].id);
        float v = 1.0f + logf(fs->f[i].count);
        if (idx == CLF_NO_FEATURE) {
            /* unseen words still make the text longer: fewer known ones, less evidence */
            norm[fs->f[i].kind] += (double)v * m->idf_new * v * m->idf_new;
            continue;
        }
        /* the kind rides in the top bit of idx until normalised (idx < 2^30) */
        x[n].idx = idx | fs->f[i].kind << 31;
        x[n].val = v * m->idf[idx];
        norm[fs->f[i].kind] += (double)x[n].val * x[n].val;
        if (tok)
            tok[n] = fs->f[i].tok;
        n++;
    }
    for (int k = 0; k < FEAT_KINDS; k++)
        inv[k] = norm[k] > 0 ? (float)(sqrt(1.0 / (norm[k] * FEAT_KINDS))) : 0;
    for (size_t i = 0; i < n; i++) {
        x[i].val *= inv[x[i].idx >> 31];
        x[i].idx &= ~(1u << 31);
    }
    return n;
}

void clf_scores(const float *w, const float *b, uint32_t nlabels, const clf_x *x, size_t n, float *s)
{
    memcpy(s, b, nlabels * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        const float *row = w + (size_t)x[i].idx * nlabels, v = x[i].val;
        const vec4 vv = { v, v, v, v };
        uint32_t c = 0;
        /* 4 labels at a time (-O2 does not vectorise the plain loop: s may alias row) */
        for (; c + 4 <= nlabels; c += 4) {
            vec4 acc, r;
            memcpy(&acc, s + c, sizeof acc);
            memcpy(&r, row + c, sizeof r);
            acc += vv * r;
            memcpy(s + c, &acc, sizeof acc);
        }
        for (; c < nlabels; c++)
            s[c] += v * row[c];
    }
}

uint32_t clf_softmax(float *s, uint32_t k, float t)
{
    uint32_t best = 0;
    float sum = 0;
    for (uint32_t c = 1; c < k; c++)
        if (s[c] > s[best])
            best = c;
    float top = s[best];
    for (uint32_t c = 0; c < k; c++)
        sum += (s[c] = expf((s[c] - top) / t));
    for (uint32_t c = 0; c < k; c++)
        s[c] /= sum;
    return best;
}

uint32_t clf_mix(float *const *s, const float *temp, uint32_t nmem, uint32_t nlabels, float *p)
{
    uint32_t best = 0;
    memset(p, 0, nlabels * sizeof *p);
    for (uint32_t k = 0; k < nmem; k++) {
        clf_softmax(s[k], nlabels, temp[k]);
        for (uint32_t c = 0; c < nlabels; c++)
            p[c] += s[k][c] / (float)nmem;
    }
    for (uint32_t c = 1; c < nlabels; c++)
        if (p[c] > p[best])
            best = c;
    return best;
}

clf_ctx *clf_ctx_new(const clf_model *m)
{
    clf_ctx *c = calloc(1, sizeof *c);
    bool ok;
    if (!c)
        return NULL;
    c->tok = text_tokenizer_new(m->lang, NULL);
    c->p = malloc(m->nlabels * sizeof *c->p);
    ok = c->tok && c->p;
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        ok = (c->s[k] = malloc(m->nlabels * sizeof *c->s[k])) && ok;
    if (!ok) {
        clf_ctx_free(c);
        return NULL;
    }
    return c;
}

void clf_ctx_free(clf_ctx *c)
{
    if (!c)
        return;
    text_tokenizer_free(c->tok);
    feat_set_free(&c->fs);
    free(c->x);
    free(c->xtok);
    free(c->tokw);
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        free(c->s[k]);
    free(c->p);
    free(c);
}

/* Extracts the features of text into c->fs and makes room to vectorise them. */
static int prepare(clf_ctx *c, const char *text, size_t len)
{
    if (feat_extract(c->tok, text, len, &c->fs) != TEXT_OK)
        return CLF_ENOMEM;
    if (c->fs.n > c->xcap) {
        clf_x *x = realloc(c->x, c->fs.n * sizeof *x);
        uint32_t *xt;
        if (!x)
            return CLF_ENOMEM;
        c->x = x;
        if (!(xt = realloc(c->xtok, c->fs.n * sizeof *xt)))
            return CLF_ENOMEM;
        c->xtok = xt;
        c->xcap = c->fs.n;
    }
    if (c->fs.toks.n > c->tokcap) {
        float *tw = realloc(c->tokw, c->fs.toks.n * sizeof *tw);
        if (!tw)
            return CLF_ENOMEM;
        c->tokw = tw;
        c->tokcap = c->fs.toks.n;
    }
    return CLF_OK;
}

/* The ensemble's probabilities of c->x[0..n) into c->p (and each member's
 * in c->s); returns the most probable label. */
static uint32_t probs(const clf_model *m, clf_ctx *c, size_t n)
{
    for (uint32_t k = 0; k < m->nmem; k++)
        clf_scores(m->w[k], m->bias[k], m->nlabels, c->x, n, c->s[k]);
    return clf_mix(c->s, m->temp, m->nmem, m->nlabels, c->p);
}

/* Fills out->why with the words that weigh most for label l. */
static void explain(const clf_model *m, clf_ctx *c, size_t n, uint32_t l, clf_prediction *out)
{
    const text_tokens *tt = &c->fs.toks;
    memset(c->tokw, 0, tt->n * sizeof *c->tokw);
    for (uint32_t k = 0; k < m->nmem; k++)
        for (size_t i = 0; i < n; i++)
            c->tokw[c->xtok[i]] +=
                c->x[i].val * m->w[k][(size_t)c->x[i].idx * m->nlabels + l] / m->temp[k];
    out->nwhy = 0;
    while (out->nwhy < CLF_MAX_WHY) {
        size_t best = SIZE_MAX;
        for (size_t t = 0; t < tt->n; t++)
            if (c->tokw[t] > 0 && (best == SIZE_MAX || c->tokw[t] > c->tokw[best]))
                best = t;
        if (best == SIZE_MAX)
            break;
        float wgt = c->tokw[best];
        c->tokw[best] = 0;
        size_t k = 0;
        while (k < out->nwhy && strcmp(out->why[k].word, tt->tok[best].norm))
            k++;
        if (k == out->nwhy) {
            memcpy(out->why[k].word, tt->tok[best].norm, tt->tok[best].norm_len + 1);
            out->why[k].weight = 0;
            out->nwhy++;
        }
        out->why[k].weight += wgt;
    }
}

int clf_predict(const clf_model *m, clf_ctx *c, const char *text, size_t len,
                clf_prediction *out)
{
    int rc = prepare(c, text, len);
    size_t n;
    uint32_t best, l = UINT32_MAX;
    memset(out, 0, sizeof *out);
    if (rc != CLF_OK)
        return rc;
    n = clf_vectorise(m, &c->fs, c->x, c->xtok);
    best = probs(m, c, n);
    for (uint32_t k = 0; k < m->nlabels; k++)
        if ((int32_t)k != m->oos && (l == UINT32_MAX || c->p[k] > c->p[l]))
            l = k;
    out->label = m->labels[l];
    out->label_index = (int)l;
    out->confidence = c->p[l];
    out->abstain = (int32_t)best == m->oos || c->p[l] < m->threshold || n == 0;
    explain(m, c, n, l, out);
    return CLF_OK;
}

int clf_update(clf_model *m, clf_ctx *c, const char *text, size_t len, const char *label)
{
    uint32_t l = m->nlabels;
    int rc;
    size_t n;
    for (uint32_t k = 0; k < m->nlabels; k++)
        if (!strcmp(m->labels[k], label))
            l = k;
    if (l == m->nlabels)
        return CLF_ELABEL;
    if ((rc = prepare(c, text, len)) != CLF_OK)
        return rc;
    for (size_t i = 0; i < c->fs.n; i++)
        if (clf_vocab_add(m, c->fs.f[i].id, m->idf_new) == CLF_NO_FEATURE)
            return CLF_ENOMEM;
    n = clf_vectorise(m, &c->fs, c->x, NULL);
    for (int step = 0; step < UPDATE_MAX_STEPS; step++) {
        uint32_t best = probs(m, c, n);
        if (best == l && ((int32_t)l == m->oos || c->p[l] >= m->threshold))
            break;
        /* a log-loss step on each member's logits at its temperature */
        for (uint32_t k = 0; k < m->nmem; k++) {
            for (uint32_t y = 0; y < m->nlabels; y++) {
                float g = UPDATE_RATE * m->temp[k] * (c->s[k][y] - (y == l));
                m->bias[k][y] -= g;
                for (size_t i = 0; i < n; i++)
                    m->w[k][(size_t)c->x[i].idx * m->nlabels + y] -= g * c->x[i].val;
            }
        }
    }
    return CLF_OK;
}

float clf_threshold(const clf_model *m)
{
    return m->threshold;
}

void clf_set_threshold(clf_model *m, float t)
{
    m->threshold = t;
}

size_t clf_nlabels(const clf_model *m)
{
    return m->nlabels;
}

const char *clf_label(const clf_model *m, size_t i)
{
    return i < m->nlabels ? m->labels[i] : NULL;
}
