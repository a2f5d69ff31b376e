/* retr_snippet: the passage of a document that best shows a query's words. */
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

/* Copies the query's stems (content words, or all when there are none) into
 * store, pointed to by stems; returns how many. */
static size_t query_stems(const text_tokens *tt, char *store, size_t cap, const char **stems)
{
    bool content = false;
    size_t n = 0, used = 0;
    for (size_t i = 0; i < tt->n; i++)
        content = content || !tt->tok[i].stop;
    for (size_t i = 0; i < tt->n && n < MAX_QSTEMS; i++) {
        const text_token *t = &tt->tok[i];
        if ((content && t->stop) || used + t->stem_len + 1 > cap)
            continue;
        memcpy(store + used, t->stem, t->stem_len + 1);
        stems[n++] = store + used;
        used += t->stem_len + 1;
    }
    return n;
}

static bool is_match(const text_token *t, const char *const *stems, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t->stem, stems[i]))
            return true;
    return false;
}

/* The first token of the max_bytes window holding the most matches. */
static size_t best_window(const text_tokens *tt, const bool *match, size_t max_bytes)
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
    char store[MAX_QSTEMS * (TEXT_MAX_TOKEN + 1)];
    const char *stems[MAX_QSTEMS];
    text_tokenizer *tk;
    bool *match = NULL;
    buf out = { 0 };
    size_t nstems, from = 0, to, first;
    uint32_t slot;
    const char *text;
    if (!s)
        return NULL;
    pthread_rwlock_rdlock(&ix->lock);
    if ((slot = retr_slot_of(ix, id)) == RETR_NONE)
        goto fail;
    text = ix->docs[slot].text[RETR_BODY][0] ? ix->docs[slot].text[RETR_BODY]
                                             : ix->docs[slot].text[RETR_TITLE];
    to = strlen(text);
    if (!(tk = retr_tokenizer(s, ix->docs[slot].lang)) ||
        text_tokenize(tk, query, strlen(query), &s->toks) != TEXT_OK)
        goto fail;
    nstems = query_stems(&s->toks, store, sizeof store, stems);
    if (text_tokenize(tk, text, to, &s->toks) != TEXT_OK ||
        !(match = calloc(s->toks.n + 1, sizeof *match)))
        goto fail;
    for (size_t i = 0; i < s->toks.n; i++)
        match[i] = is_match(&s->toks.tok[i], stems, nstems);
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
    if (to < strlen(text))
        put(&out, "\xE2\x80\xA6", 3);
    if (out.oom)
        goto fail;
    goto done;
fail:
    free(out.s);
    out.s = NULL;
done:
    free(match);
    pthread_rwlock_unlock(&ix->lock);
    retr_scratch_put(ix, s);
    return out.s;
}
