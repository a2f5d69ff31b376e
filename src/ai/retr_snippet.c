/* retr_snippet: the passage of a document that best shows a query's words.
 * The text is split without stemming and its words are matched through the
 * index's surface forms (word -> term of the document's language), so only
 * the query is stemmed. */
#include "ai/retr_internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_QSTEMS = 64 };

typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} buf;

static void put(buf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *ns;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (!(ns = realloc(b->s, cap))) {
            b->oom = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void put_escaped(buf *b, const char *p, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = p[i] == '&' ? "&amp;" : p[i] == '<' ? "&lt;" : p[i] == '>' ? "&gt;"
                      : p[i] == '"' ? "&quot;" : p[i] == '\'' ? "&#39;" : NULL;
        if (!e)
            continue;
        put(b, p + run, i - run);
        put(b, e, strlen(e));
        run = i + 1;
    }
    put(b, p + run, n - run);
}

/* The terms of the query's stems (content words, or all when there are
 * none) into terms; returns how many. */
static size_t query_terms(const retr_index *ix, const text_tokens *tt, uint32_t *terms)
{
    bool content = false;
    size_t n = 0;
    for (size_t i = 0; i < tt->n; i++)
        content = content || !tt->tok[i].stop;
    for (size_t i = 0; i < tt->n && n < MAX_QSTEMS; i++) {
        const text_token *t = &tt->tok[i];
        uint32_t term;
        if (content && t->stop)
            continue;
        if ((term = retr_term_find(ix, t->stem, t->stem_len)) != RETR_NONE)
            terms[n++] = term;
    }
    return n;
}

static bool has_term(const uint32_t *terms, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (terms[i] == t)
            return true;
    return false;
}

/* How many tokens of field f of document d the terms stand for (the sum of their counts there,
 * as indexing found them), or UINT32_MAX when a count saturated. */
static uint32_t occurrences(const retr_sdoc *d, int f, const uint32_t *terms, size_t nterms)
{
    uint32_t total = 0;
    for (uint32_t k = 0; k < d->nterms; k++) {
        if (!has_term(terms, nterms, d->terms[k].term))
            continue;
        if (d->terms[k].tf[f] == UINT16_MAX)
            return UINT32_MAX;
        total += d->terms[k].tf[f];
    }
    return total;
}

/* Lists the surface forms in language lid of the scratch's query terms (s->qform_*). */
static void query_forms(const retr_index *ix, retr_scratch *s, uint32_t lid)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nqterms && n <= RETR_SNIPPET_FORMS; i++) {
        if (has_term(s->qterms, i, s->qterms[i]))
            continue; /* listed already */
        uint32_t at = n < RETR_SNIPPET_FORMS ? n : RETR_SNIPPET_FORMS;
        n += retr_term_forms(ix, s->qterms[i], lid, s->qform_h + at, s->qform_off + at, RETR_SNIPPET_FORMS - at);
    }
    s->nqforms = n;
    s->qforms_n = ix->forms_n;
}

/* True when token t is one of the listed surface forms of the query's terms. */
static bool query_form(const retr_index *ix, const retr_scratch *s, uint32_t lid, const text_token *t)
{
    uint64_t h = retr_form_hash(lid, t->norm, t->norm_len);
    for (uint32_t k = 0; k < s->nqforms; k++) {
        const char *f = ix->forms_text + s->qform_off[k] + 1;
        if (s->qform_h[k] == h && !memcmp(f, t->norm, t->norm_len) && !f[t->norm_len])
            return true;
    }
    return false;
}

/* Marks the tokens of text (split into s->toks) that match the query terms, of which there
 * are `want`: once they are all found, the rest of the text needs no look-ups. When all the
 * document's words are known surface forms (known) and the query terms' forms are listed,
 * a word matches when it is one of them, found by hash without the index's form table. */
static int mark(const retr_index *ix, retr_scratch *s, text_tokenizer *tk, uint32_t lid, bool known,
                const char *text, size_t len, const uint32_t *terms, size_t nterms, uint32_t want)
{
    size_t i;
    uint32_t found = 0;
    bool by_form = known && s->nqforms <= RETR_SNIPPET_FORMS;
    if (s->toks.n + 1 > s->match_cap) {
        size_t cap = s->toks.n + 256;
        uint8_t *nm = realloc(s->match, cap);
        if (!nm)
            return RETR_ENOMEM;
        s->match = nm;
        s->match_cap = cap;
    }
    for (i = 0; i < s->toks.n; i++) {
        const text_token *t = &s->toks.tok[i];
        if (found == want) {
            memset(s->match + i, 0, s->toks.n - i);
            return RETR_OK;
        }
        if (by_form) {
            s->match[i] = query_form(ix, s, lid, t);
            found += s->match[i];
            continue;
        }
        uint32_t term = retr_form_find(ix, lid, t->norm, t->norm_len);
        if (term == RETR_NONE)
            break;
        s->match[i] = has_term(terms, nterms, term);
        found += s->match[i];
    }
    if (i == s->toks.n)
        return RETR_OK;
    /* a word the index does not know by its form: stem the text (same tokens) */
    if (text_tokenize(tk, text, len, &s->toks2) != TEXT_OK || s->toks2.n != s->toks.n)
        return RETR_ENOMEM;
    for (; i < s->toks.n; i++) {
        const text_token *t = &s->toks2.tok[i];
        s->match[i] = has_term(terms, nterms, retr_term_find(ix, t->stem, t->stem_len));
    }
    return RETR_OK;
}

/* The first token of the max_bytes window holding the most matches. */
static size_t best_window(const text_tokens *tt, const uint8_t *match, size_t max_bytes)
{
    size_t best = 0, best_n = 0, n = 0, j = 0;
    for (size_t i = 0; i < tt->n; i++) {
        if (j < i) {
            j = i;
            n = 0;
        }
        while (j < tt->n && tt->tok[j].end - tt->tok[i].start <= max_bytes)
            n += match[j++];
        if (n > best_n) {
            best_n = n;
            best = i;
        }
        n -= j > i && match[i];
    }
    return best;
}

char *retr_snippet(retr_index *ix, int64_t id, const char *query, size_t max_bytes)
{
    retr_scratch *s = retr_scratch_get(ix);
    uint32_t terms[MAX_QSTEMS];
    text_tokenizer *tk, *plain;
    const uint8_t *match;
    buf out = { 0 };
    size_t nterms, from = 0, to, first, len;
    uint32_t slot;
    int field;
    const char *text;
    if (!s)
        return NULL;
    pthread_rwlock_rdlock(&ix->lock);
    if ((slot = retr_slot_of(ix, id)) == RETR_NONE)
        goto fail;
    field = ix->docs[slot].text[RETR_BODY][0] ? RETR_BODY : RETR_TITLE;
    text = ix->docs[slot].text[field];
    to = len = strlen(text);
    if (!(tk = retr_tokenizer(s, ix->docs[slot].lang)) || !(plain = retr_tokenizer(s, "")))
        goto fail;
    if (s->qtext && s->qterms_nterms == ix->nterms && !strcmp(s->qlang, ix->docs[slot].lang) &&
        !strcmp(s->qtext, query)) {
        /* the same query as this scratch's last snippet (the next hit of a search) */
        nterms = s->nqterms;
        memcpy(terms, s->qterms, nterms * sizeof *terms);
    } else {
        size_t qlen = strlen(query);
        if (text_tokenize(tk, query, qlen, &s->toks) != TEXT_OK)
            goto fail;
        nterms = query_terms(ix, &s->toks, terms);
        if (qlen + 1 > s->qtext_cap) {
            char *nq = realloc(s->qtext, qlen + 1);
            if (!nq)
                goto fail;
            s->qtext = nq;
            s->qtext_cap = qlen + 1;
        }
        memcpy(s->qtext, query, qlen + 1);
        strcpy(s->qlang, ix->docs[slot].lang);
        memcpy(s->qterms, terms, nterms * sizeof *terms);
        s->nqterms = (uint32_t)nterms;
        s->qterms_nterms = ix->nterms;
        s->qforms_n = UINT32_MAX;
    }
    if (s->qforms_n != ix->forms_n)
        query_forms(ix, s, ix->dinfo[slot].lang);
    if (text_tokenize(plain, text, len, &s->toks) != TEXT_OK ||
        mark(ix, s, tk, ix->dinfo[slot].lang, ix->docs[slot].forms_known, text, len, terms, nterms,
             occurrences(&ix->docs[slot], field, terms, nterms)) != RETR_OK)
        goto fail;
    match = s->match;
    first = 0;
    if (to > max_bytes) {
        first = best_window(&s->toks, match, max_bytes);
        from = first ? s->toks.tok[first].start : 0;
        to = from;
        for (size_t j = first; j < s->toks.n && s->toks.tok[j].end - from <= max_bytes; j++)
            to = s->toks.tok[j].end;
    }
    put(&out, "", 0);
    if (from > 0)
        put(&out, "\xE2\x80\xA6", 3);
    for (size_t i = first, at = from; at < to; i++) {
        const text_token *t = i < s->toks.n ? &s->toks.tok[i] : NULL;
        size_t next = t && t->start < to ? t->start : to;
        put_escaped(&out, text + at, next - at);
        if (next == to)
            break;
        if (match[i])
            put(&out, "<mark>", 6);
        put_escaped(&out, text + t->start, t->end - t->start);
        if (match[i])
            put(&out, "</mark>", 7);
        at = t->end;
    }
    if (to < len)
        put(&out, "\xE2\x80\xA6", 3);
    if (out.oom)
        goto fail;
    goto done;
fail:
    free(out.s);
    out.s = NULL;
done:
    pthread_rwlock_unlock(&ix->lock);
    retr_scratch_put(ix, s);
    return out.s;
}
