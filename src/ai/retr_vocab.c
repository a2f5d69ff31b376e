/* retr_vocab: the retriever's terms (with a one-deletion index for typo
 * tolerance), document analysis and per-search working memory. */
#include "ai/retr_internal.h"

#include "ai/hash.h"

#include <stdlib.h>
#include <string.h>

enum { TYPO_MIN_CPS = 4 };

int retr_scratch_init(retr_scratch *s)
{
    memset(s, 0, sizeof *s);
    return RETR_OK;
}

void retr_scratch_clear(retr_scratch *s)
{
    for (int i = 0; i < s->ntk; i++)
        text_tokenizer_free(s->tk[i].t);
    text_tokens_free(&s->toks);
    text_tokens_free(&s->toks2);
    free(s->match);
    free(s->qtext);
    free(s->tpos);
    memset(s, 0, sizeof *s);
}

text_tokenizer *retr_tokenizer(retr_scratch *s, const char *lang)
{
    text_tokenizer *t;
    for (int i = 0; i < s->ntk; i++)
        if (!strcmp(s->tk[i].lang, lang))
            return s->tk[i].t;
    if (s->ntk == RETR_MAX_LANGS + 1 || strlen(lang) >= sizeof s->tk[0].lang)
        return NULL;
    if (!(t = text_tokenizer_new(lang, NULL)))
        return NULL;
    strcpy(s->tk[s->ntk].lang, lang);
    s->tk[s->ntk++].t = t;
    return t;
}

retr_scratch *retr_scratch_get(retr_index *ix)
{
    retr_scratch *s = NULL;
    pthread_mutex_lock(&ix->pool_lock);
    if (ix->npool)
        s = ix->pool[--ix->npool];
    pthread_mutex_unlock(&ix->pool_lock);
    if (!s && (s = malloc(sizeof *s)))
        retr_scratch_init(s);
    return s;
}

void retr_scratch_put(retr_index *ix, retr_scratch *s)
{
    pthread_mutex_lock(&ix->pool_lock);
    if (ix->npool == ix->pool_cap) {
        size_t cap = ix->pool_cap ? ix->pool_cap * 2 : 8;
        retr_scratch **np = realloc(ix->pool, cap * sizeof *np);
        if (!np) {
            pthread_mutex_unlock(&ix->pool_lock);
            retr_scratch_clear(s);
            free(s);
            return;
        }
        ix->pool = np;
        ix->pool_cap = cap;
    }
    ix->pool[ix->npool++] = s;
    pthread_mutex_unlock(&ix->pool_lock);
}

static uint64_t str_hash(const char *s, size_t len)
{
    return hash_final(hash_add(hash_init('t'), s, len));
}

uint32_t retr_term_find(const retr_index *ix, const char *s, size_t len)
{
    uint32_t mask = ix->term_table_cap - 1;
    if (!ix->term_table_cap)
        return RETR_NONE;
    for (uint32_t i = (uint32_t)str_hash(s, len) & mask;; i = (i + 1) & mask) {
        uint32_t t = ix->term_table[i];
        if (t == RETR_NONE)
            return RETR_NONE;
        if (ix->terms[t].len == len && !memcmp(ix->terms[t].s, s, len))
            return t;
    }
}

static void term_table_put(retr_index *ix, uint32_t t)
{
    uint32_t mask = ix->term_table_cap - 1;
    uint32_t i = (uint32_t)str_hash(ix->terms[t].s, ix->terms[t].len) & mask;
    while (ix->term_table[i] != RETR_NONE)
        i = (i + 1) & mask;
    ix->term_table[i] = t;
}

static void del_put(retr_del *tab, uint32_t cap, uint64_t h, uint32_t term)
{
    uint32_t i = (uint32_t)h & (cap - 1);
    while (tab[i].h)
        i = (i + 1) & (cap - 1);
    tab[i] = (retr_del){ .h = h, .term = term };
}

/* Decodes s into code points (at most max); returns how many. */
static size_t to_cps(const char *s, size_t len, int32_t *cp, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max)
        cp[n++] = text_utf8_next(s, len, &i);
    return n;
}

/* Calls fn(hash) for s and for s without each one of its code points. */
static int each_variant(const char *s, size_t len, int (*fn)(uint64_t h, void *ctx), void *ctx)
{
    size_t at[TEXT_MAX_TOKEN + 1], n = 0, i = 0;
    int rc;
    while (i < len && n < TEXT_MAX_TOKEN) {
        at[n++] = i;
        text_utf8_next(s, len, &i);
    }
    at[n] = i;
    if (n < TYPO_MIN_CPS)
        return 0;
    if ((rc = fn(str_hash(s, len), ctx)))
        return rc;
    for (size_t k = 0; k < n; k++) {
        uint64_t h = hash_add(hash_init('t'), s, at[k]);
        h = hash_final(hash_add(h, s + at[k + 1], len - at[k + 1]));
        if ((rc = fn(h, ctx)))
            return rc;
    }
    return 0;
}

typedef struct {
    retr_index *ix;
    uint32_t term;
} add_ctx;

static int add_variant(uint64_t h, void *ctx)
{
    add_ctx *a = ctx;
    retr_index *ix = a->ix;
    if ((ix->del_n + 1) * 2 > ix->del_cap) {
        uint32_t cap = ix->del_cap ? ix->del_cap * 2 : 1024;
        retr_del *nt = calloc(cap, sizeof *nt);
        if (!nt)
            return RETR_ENOMEM;
        for (uint32_t i = 0; i < ix->del_cap; i++)
            if (ix->del_table[i].h)
                del_put(nt, cap, ix->del_table[i].h, ix->del_table[i].term);
        free(ix->del_table);
        ix->del_table = nt;
        ix->del_cap = cap;
    }
    del_put(ix->del_table, ix->del_cap, h, a->term);
    ix->del_n++;
    return 0;
}

/* The id of term s, added if new; RETR_NONE if out of memory. */
static uint32_t term_add(retr_index *ix, const char *s, size_t len)
{
    uint32_t t = retr_term_find(ix, s, len);
    if (t != RETR_NONE)
        return t;
    if ((ix->nterms + 1) * 2 > ix->term_table_cap) {
        uint32_t cap = ix->term_table_cap ? ix->term_table_cap * 2 : 1024;
        uint32_t *nt = malloc(cap * sizeof *nt);
        if (!nt)
            return RETR_NONE;
        memset(nt, 0xff, cap * sizeof *nt);
        free(ix->term_table);
        ix->term_table = nt;
        ix->term_table_cap = cap;
        for (uint32_t i = 0; i < ix->nterms; i++)
            term_table_put(ix, i);
    }
    if (ix->nterms == ix->terms_cap) {
        uint32_t cap = ix->terms_cap ? ix->terms_cap * 2 : 1024;
        retr_term *nt = realloc(ix->terms, cap * sizeof *nt);
        if (!nt)
            return RETR_NONE;
        ix->terms = nt;
        ix->terms_cap = cap;
    }
    t = ix->nterms;
    ix->terms[t] = (retr_term){ .s = strndup(s, len), .len = (uint32_t)len, .forms = RETR_NONE };
    if (!ix->terms[t].s)
        return RETR_NONE;
    if (ix->p.typo && each_variant(s, len, add_variant, &(add_ctx){ ix, t })) {
        free(ix->terms[t].s);
        return RETR_NONE;
    }
    ix->nterms++;
    term_table_put(ix, t);
    return t;
}

/* True if a and b are at most one insertion, deletion, substitution or
 * transposition of adjacent code points apart. */
static bool one_edit(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
    size_t i = 0;
    if (na > nb + 1 || nb > na + 1)
        return false;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    if (na == nb) {
        if (i == na)
            return true;
        if (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            !memcmp(a + i + 2, b + i + 2, (na - i - 2) * sizeof *a))
            return true;
        return !memcmp(a + i + 1, b + i + 1, (na - i - 1) * sizeof *a);
    }
    if (na > nb)
        return !memcmp(a + i + 1, b + i, (nb - i) * sizeof *a);
    return !memcmp(a + i, b + i + 1, (na - i) * sizeof *a);
}

typedef struct {
    const retr_index *ix;
    int32_t cp[TEXT_MAX_TOKEN];
    size_t ncp;
    uint32_t found[16];
    size_t nfound;
    void (*fn)(uint32_t term, void *ctx);
    void *ctx;
} near_ctx;

static int near_variant(uint64_t h, void *ctx)
{
    near_ctx *c = ctx;
    const retr_index *ix = c->ix;
    uint32_t mask = ix->del_cap - 1;
    for (uint32_t i = (uint32_t)h & mask; ix->del_table[i].h; i = (i + 1) & mask) {
        const retr_term *t = &ix->terms[ix->del_table[i].term];
        int32_t cp[TEXT_MAX_TOKEN];
        size_t n, k;
        if (ix->del_table[i].h != h)
            continue;
        for (k = 0; k < c->nfound && c->found[k] != ix->del_table[i].term; k++)
            ;
        if (k < c->nfound || c->nfound == sizeof c->found / sizeof *c->found)
            continue;
        n = to_cps(t->s, t->len, cp, TEXT_MAX_TOKEN);
        if (n < TYPO_MIN_CPS || !one_edit(c->cp, c->ncp, cp, n))
            continue;
        c->found[c->nfound++] = ix->del_table[i].term;
        c->fn(ix->del_table[i].term, c->ctx);
    }
    return 0;
}

void retr_term_near(const retr_index *ix, const char *s, size_t len,
                    void (*fn)(uint32_t term, void *ctx), void *ctx)
{
    near_ctx c = { .ix = ix, .fn = fn, .ctx = ctx };
    if (!ix->del_cap)
        return;
    c.ncp = to_cps(s, len, c.cp, TEXT_MAX_TOKEN);
    if (c.ncp < TYPO_MIN_CPS)
        return;
    each_variant(s, len, near_variant, &c);
}

/* Counts one occurrence of term t in field f of d. */
static int count_term(retr_scratch *w, retr_sdoc *d, uint32_t *cap, uint32_t t, int f)
{
    uint16_t *tf;
    if (t >= w->tpos_cap) {
        uint32_t ncap = w->tpos_cap ? w->tpos_cap : 1024;
        uint32_t *nt;
        while (ncap <= t)
            ncap *= 2;
        if (!(nt = realloc(w->tpos, ncap * sizeof *nt)))
            return RETR_ENOMEM;
        memset(nt + w->tpos_cap, 0, (ncap - w->tpos_cap) * sizeof *nt);
        w->tpos = nt;
        w->tpos_cap = ncap;
    }
    if (!w->tpos[t]) {
        if (d->nterms == *cap) {
            uint32_t ncap = *cap ? *cap * 2 : 16;
            retr_dterm *nd = realloc(d->terms, ncap * sizeof *nd);
            if (!nd)
                return RETR_ENOMEM;
            d->terms = nd;
            *cap = ncap;
        }
        d->terms[d->nterms] = (retr_dterm){ .term = t };
        w->tpos[t] = ++d->nterms;
    }
    tf = &d->terms[w->tpos[t] - 1].tf[f];
    if (*tf < UINT16_MAX)
        (*tf)++;
    return RETR_OK;
}

uint32_t retr_lang_id(retr_index *ix, const char *lang)
{
    for (uint32_t i = 0; i < ix->nlangs; i++)
        if (!strcmp(ix->langs[i], lang))
            return i;
    if (ix->nlangs == RETR_MAX_LANGS || strlen(lang) >= sizeof ix->langs[0])
        return RETR_NONE;
    strcpy(ix->langs[ix->nlangs], lang);
    return ix->nlangs++;
}

/* ---- surface forms ---- */

uint64_t retr_form_hash(uint32_t lang, const char *s, size_t len)
{
    unsigned char l = (unsigned char)lang;
    return hash_final(hash_add(hash_add(hash_init('f'), &l, 1), s, len));
}

static uint32_t form_lookup(const retr_index *ix, uint64_t h, uint32_t lang, const char *s, size_t len)
{
    uint32_t mask = ix->forms_cap - 1;
    if (!ix->forms_cap)
        return RETR_NONE;
    for (uint32_t i = (uint32_t)h & mask; ix->forms[i].h; i = (i + 1) & mask) {
        const char *f = ix->forms_text + ix->forms[i].off;
        if (ix->forms[i].h == h && (uint8_t)f[0] == lang && !memcmp(f + 1, s, len) && !f[len + 1])
            return ix->forms[i].term;
    }
    return RETR_NONE;
}

uint32_t retr_term_forms(const retr_index *ix, uint32_t term, uint32_t lang, uint64_t *h, uint32_t *off,
                         uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t f = ix->terms[term].forms; f != RETR_NONE; f = ix->form_links[f].next) {
        const char *form = ix->forms_text + ix->form_links[f].off;
        if ((uint8_t)form[0] != lang)
            continue;
        if (n < max) {
            h[n] = retr_form_hash(lang, form + 1, strlen(form + 1));
            off[n] = ix->form_links[f].off;
        }
        n++;
    }
    return n;
}

uint32_t retr_form_find(const retr_index *ix, uint32_t lang, const char *s, size_t len)
{
    return form_lookup(ix, retr_form_hash(lang, s, len), lang, s, len);
}

static void form_put(retr_form *tab, uint32_t cap, retr_form f)
{
    uint32_t i = (uint32_t)f.h & (cap - 1);
    while (tab[i].h)
        i = (i + 1) & (cap - 1);
    tab[i] = f;
}

static int form_add(retr_index *ix, uint32_t lang, const char *s, size_t len, uint32_t term)
{
    uint64_t h = retr_form_hash(lang, s, len);
    if (form_lookup(ix, h, lang, s, len) != RETR_NONE)
        return RETR_OK;
    if ((ix->forms_n + 1) * 2 > ix->forms_cap) {
        uint32_t cap = ix->forms_cap ? ix->forms_cap * 2 : 1024;
        retr_form *nt = calloc(cap, sizeof *nt);
        if (!nt)
            return RETR_ENOMEM;
        for (uint32_t i = 0; i < ix->forms_cap; i++)
            if (ix->forms[i].h)
                form_put(nt, cap, ix->forms[i]);
        free(ix->forms);
        ix->forms = nt;
        ix->forms_cap = cap;
    }
    if (ix->forms_len + len + 2 > ix->forms_text_cap) {
        size_t cap = ix->forms_text_cap ? ix->forms_text_cap * 2 : 16384;
        char *nt;
        while (cap < ix->forms_len + len + 2)
            cap *= 2;
        if (cap > UINT32_MAX || !(nt = realloc(ix->forms_text, cap)))
            return RETR_ENOMEM;
        ix->forms_text = nt;
        ix->forms_text_cap = cap;
    }
    if (ix->forms_n + 1 > ix->form_links_cap) {
        uint32_t cap = ix->form_links_cap ? ix->form_links_cap * 2 : 1024;
        retr_form_link *nl = realloc(ix->form_links, cap * sizeof *nl);
        if (!nl)
            return RETR_ENOMEM;
        ix->form_links = nl;
        ix->form_links_cap = cap;
    }
    ix->form_links[ix->forms_n] = (retr_form_link){ (uint32_t)ix->forms_len, ix->terms[term].forms };
    ix->terms[term].forms = ix->forms_n;
    ix->forms_text[ix->forms_len] = (char)lang;
    memcpy(ix->forms_text + ix->forms_len + 1, s, len);
    ix->forms_text[ix->forms_len + 1 + len] = 0;
    form_put(ix->forms, ix->forms_cap, (retr_form){ .h = h, .term = term, .off = (uint32_t)ix->forms_len });
    ix->forms_len += len + 2;
    ix->forms_n++;
    return RETR_OK;
}

/* The term of token tok (unstemmed) of language lang: through the surface
 * forms, else by stemming the form alone with tk (the stem of a word depends
 * on the word only). RETR_NONE if out of memory or the form does not come
 * back as one token (then the caller stems the whole field). */
static uint32_t token_term(retr_index *ix, text_tokenizer *tk, uint32_t lang, const text_token *tok,
                           bool *oom)
{
    uint32_t t = retr_form_find(ix, lang, tok->norm, tok->norm_len);
    retr_scratch *w = &ix->writer;
    if (t != RETR_NONE)
        return t;
    if (text_tokenize(tk, tok->norm, tok->norm_len, &w->toks2) != TEXT_OK) {
        *oom = true;
        return RETR_NONE;
    }
    if (w->toks2.n != 1 || w->toks2.tok[0].norm_len != tok->norm_len ||
        memcmp(w->toks2.tok[0].norm, tok->norm, tok->norm_len))
        return RETR_NONE;
    t = term_add(ix, w->toks2.tok[0].stem, w->toks2.tok[0].stem_len);
    if (t == RETR_NONE || form_add(ix, lang, tok->norm, tok->norm_len, t) != RETR_OK) {
        *oom = true;
        return RETR_NONE;
    }
    return t;
}

/* The terms of one field: by surface forms (fast), or by stemming every token. */
static int analyse_field(retr_index *ix, retr_sdoc *d, uint32_t lang, text_tokenizer *tk, int f,
                         uint32_t *cap)
{
    retr_scratch *w = &ix->writer;
    text_tokenizer *plain = retr_tokenizer(w, "");
    const char *s = d->text[f];
    size_t n = strlen(s), done = 0;
    bool oom = false;
    if (!plain || text_tokenize(plain, s, n, &w->toks) != TEXT_OK)
        return RETR_ENOMEM;
    d->len[f] = (uint32_t)w->toks.n;
    for (; done < w->toks.n; done++) {
        uint32_t t = token_term(ix, tk, lang, &w->toks.tok[done], &oom);
        if (oom)
            return RETR_ENOMEM;
        if (t == RETR_NONE)
            break;
        if (count_term(w, d, cap, t, f) != RETR_OK)
            return RETR_ENOMEM;
    }
    if (done == w->toks.n)
        return RETR_OK;
    /* a form that does not tokenize alone the same way: stem the rest in context (their
     * forms are not kept, so snippets look this document's words up one by one) */
    d->forms_known = false;
    if (text_tokenize(tk, s, n, &w->toks2) != TEXT_OK || w->toks2.n != d->len[f])
        return RETR_ENOMEM;
    for (size_t i = done; i < w->toks2.n; i++) {
        const text_token *tok = &w->toks2.tok[i];
        uint32_t t = term_add(ix, tok->stem, tok->stem_len);
        if (t == RETR_NONE || count_term(w, d, cap, t, f) != RETR_OK)
            return RETR_ENOMEM;
    }
    return RETR_OK;
}

int retr_analyse(retr_index *ix, retr_sdoc *d, uint32_t lang)
{
    text_tokenizer *tk = retr_tokenizer(&ix->writer, d->lang);
    retr_scratch *w = &ix->writer;
    uint32_t cap = 0;
    int rc = RETR_OK;
    if (!tk)
        return RETR_ELANG;
    d->forms_known = true;
    for (int f = 0; f < RETR_NFIELDS && rc == RETR_OK; f++)
        rc = analyse_field(ix, d, lang, tk, f, &cap);
    for (uint32_t k = 0; k < d->nterms; k++)
        w->tpos[d->terms[k].term] = 0;
    return rc;
}
