/* clf_io: the classifier's binary format, little-endian throughout:
 *   "PRLYCLF\0", u32 version (3), str lang, u32 nlabels, nlabels x str,
 *   u32 nmem, nmem x f32 temp, f32 threshold, f32 idf_new, u32 nfeat,
 *   nfeat x u64 feature id, nfeat x f32 idf, nmem x (nfeat x nlabels x f32
 *   weight), nmem x (nlabels x f32 bias), u64 hash of everything before it;
 *   str = u32 length + bytes. Older versions still load: 2 is the same layout
 *   with at most 2 members (logistic regression, SVM: before naive Bayes),
 *   1 (one model) had no nmem and one temp and loads as an ensemble of one. */
#include "ai/clf_internal.h"

#include "ai/hash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "PRLYCLF"
enum { VERSION = 3, MAX_LABELS = 1 << 20, MAX_STR = 1 << 16 };
/* The largest magnitude of a stored number (weights, biases, idf, temperatures):
 * trained models stay far below it, and it keeps every score finite. */
#define MAX_ABS 1e6f

typedef struct {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} wbuf;

static void put(wbuf *w, const void *p, size_t n)
{
    if (w->oom)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        unsigned char *np;
        while (cap < w->len + n)
            cap *= 2;
        if (!(np = realloc(w->p, cap))) {
            w->oom = true;
            return;
        }
        w->p = np;
        w->cap = cap;
    }
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

static void put_u64(wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, 8);
}

static void put_u32(wbuf *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, 4);
}

static void put_f32(wbuf *w, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    put_u32(w, v);
}

static void put_str(wbuf *w, const char *s)
{
    put_u32(w, (uint32_t)strlen(s));
    put(w, s, strlen(s));
}

int clf_save(const clf_model *m, unsigned char **buf, size_t *len)
{
    wbuf w = { 0 };
    uint64_t *ids = malloc((m->nfeat + 1) * sizeof *ids);
    *buf = NULL;
    *len = 0;
    if (!ids)
        return CLF_ENOMEM;
    for (uint32_t i = 0; i < m->tcap; i++)
        if (m->keys[i])
            ids[m->slots[i]] = m->keys[i];
    put(&w, MAGIC, 8);
    put_u32(&w, VERSION);
    put_str(&w, m->lang);
    put_u32(&w, m->nlabels);
    for (uint32_t l = 0; l < m->nlabels; l++)
        put_str(&w, m->labels[l]);
    put_u32(&w, m->nmem);
    for (uint32_t k = 0; k < m->nmem; k++)
        put_f32(&w, m->temp[k]);
    put_f32(&w, m->threshold);
    put_f32(&w, m->idf_new);
    put_u32(&w, m->nfeat);
    for (uint32_t f = 0; f < m->nfeat; f++)
        put_u64(&w, ids[f]);
    for (uint32_t f = 0; f < m->nfeat; f++)
        put_f32(&w, m->idf[f]);
    for (uint32_t k = 0; k < m->nmem; k++)
        for (size_t i = 0; i < (size_t)m->nfeat * m->nlabels; i++)
            put_f32(&w, m->w[k][i]);
    for (uint32_t k = 0; k < m->nmem; k++)
        for (uint32_t l = 0; l < m->nlabels; l++)
            put_f32(&w, m->bias[k][l]);
    if (!w.oom)
        put_u64(&w, hash_final(hash_add(hash_init('m'), w.p, w.len)));
    free(ids);
    if (w.oom) {
        free(w.p);
        return CLF_ENOMEM;
    }
    *buf = w.p;
    *len = w.len;
    return CLF_OK;
}

typedef struct {
    const unsigned char *p;
    size_t len, at;
    bool bad;
} rbuf;

static const unsigned char *take(rbuf *r, size_t n)
{
    const unsigned char *p = r->p + r->at;
    if (r->bad || n > r->len - r->at) {
        r->bad = true;
        return NULL;
    }
    r->at += n;
    return p;
}

static uint64_t get_u64(rbuf *r)
{
    const unsigned char *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t get_u32(rbuf *r)
{
    const unsigned char *b = take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static float get_f32(rbuf *r)
{
    uint32_t v = get_u32(r);
    float f;
    memcpy(&f, &v, 4);
    return f;
}

/* The next float, which must be finite and within MAX_ABS (else r->bad). */
static float get_num(rbuf *r)
{
    float f = get_f32(r);
    if (!(fabsf(f) <= MAX_ABS))
        r->bad = true;
    return f;
}

/* A new NUL-terminated copy of the next string; NULL if malformed or OOM. */
static char *get_str(rbuf *r)
{
    uint32_t n = get_u32(r);
    const unsigned char *p;
    char *s;
    if (n > MAX_STR || !(p = take(r, n)) || memchr(p, 0, n) || !(s = malloc(n + 1))) {
        r->bad = true;
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* The most members a model of format version (1..VERSION) may have. */
static uint32_t members_max(uint32_t version)
{
    return version == 1 ? 1 : version == 2 ? 2 : CLF_MEMBERS;
}

/* Whether the labels l[0..n) hold a repeated string (l is reordered). */
static bool repeated(char **l, uint32_t n)
{
    qsort(l, n, sizeof *l, clf_cmp_str);
    for (uint32_t i = 1; i < n; i++)
        if (!strcmp(l[i - 1], l[i]))
            return true;
    return false;
}

/* CLF_OK if a tokenizer exists for lang, else CLF_ELANG (or CLF_ENOMEM). */
static int check_lang(const char *lang)
{
    int err = TEXT_OK;
    text_tokenizer *t = text_tokenizer_new(lang, &err);
    text_tokenizer_free(t);
    return t ? CLF_OK : err == TEXT_ELANG ? CLF_ELANG : CLF_ENOMEM;
}

int clf_load(const unsigned char *buf, size_t len, clf_model **out)
{
    rbuf r = { .p = buf, .len = len };
    char *lang = NULL, **labels = NULL, **sorted = NULL;
    uint32_t nl = 0, nfeat, version, nmem = 1;
    clf_model *m = NULL;
    int rc = CLF_EFORMAT;
    float temp[CLF_MEMBERS], thr, idf_new;
    size_t per_feat, fixed;
    *out = NULL;
    if (len < 8 + 4 + 8 || memcmp(buf, MAGIC, 8))
        goto done;
    r.at = 8;
    version = get_u32(&r);
    if (version < 1 || version > VERSION) {
        rc = CLF_EVERSION;
        goto done;
    }
    r.at = len - 8;
    if (hash_final(hash_add(hash_init('m'), buf, len - 8)) != get_u64(&r))
        goto done;
    r.at = 12;
    if (!(lang = get_str(&r)) || strlen(lang) >= sizeof m->lang)
        goto done;
    nl = get_u32(&r);
    /* every label takes at least its 4-byte length: no allocation beyond the input's size */
    if (r.bad || nl < 2 || nl > MAX_LABELS || nl > (len - r.at) / 4)
        goto done;
    rc = CLF_ENOMEM;
    if (!(labels = calloc(nl, sizeof *labels)) || !(sorted = malloc(nl * sizeof *sorted)))
        goto done;
    rc = CLF_EFORMAT;
    for (uint32_t l = 0; l < nl; l++)
        if (!(sorted[l] = labels[l] = get_str(&r)))
            goto done;
    if (repeated(sorted, nl))
        goto done;
    if (version > 1)
        nmem = get_u32(&r);
    if (r.bad || !nmem || nmem > members_max(version))
        goto done;
    for (uint32_t k = 0; k < nmem; k++)
        if (!((temp[k] = get_num(&r)) > 0))
            goto done;
    thr = get_num(&r);
    idf_new = get_num(&r);
    nfeat = get_u32(&r);
    /* ids, idf, weights, bias and the hash must fill the rest exactly */
    per_feat = 12 + 4 * (size_t)nl * nmem;
    fixed = 8 + 4 * (size_t)nl * nmem;
    if (r.bad || nfeat > (1u << 29) || len - r.at < fixed ||
        (len - r.at - fixed) / per_feat != nfeat || (len - r.at - fixed) % per_feat)
        goto done;
    if ((rc = check_lang(lang)) != CLF_OK)
        goto done;
    rc = CLF_ENOMEM;
    if (!(m = clf_model_new(lang, labels, nl, nfeat, nmem)))
        goto done;
    memcpy(m->temp, temp, nmem * sizeof *temp);
    m->threshold = thr;
    m->idf_new = idf_new;
    rc = CLF_EFORMAT;
    for (uint32_t f = 0; f < nfeat; f++) {
        uint64_t id = get_u64(&r);
        if (!id || clf_vocab_find(m, id) != CLF_NO_FEATURE || clf_vocab_add(m, id, 0) != f)
            goto done;
    }
    for (uint32_t f = 0; f < nfeat; f++)
        m->idf[f] = get_num(&r);
    for (uint32_t k = 0; k < nmem; k++)
        for (size_t i = 0; i < (size_t)nfeat * nl; i++)
            m->w[k][i] = get_num(&r);
    for (uint32_t k = 0; k < nmem; k++)
        for (uint32_t l = 0; l < nl; l++)
            m->bias[k][l] = get_num(&r);
    if (r.bad)
        goto done;
    *out = m;
    m = NULL;
    rc = CLF_OK;
done:
    clf_free(m);
    for (uint32_t l = 0; labels && l < nl; l++)
        free(labels[l]);
    free(labels);
    free(sorted);
    free(lang);
    return rc;
}
