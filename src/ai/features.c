/* features: hashed word and character n-grams of a text. */
#include "ai/features.h"

#include "ai/hash.h"

#include <stdlib.h>
#include <string.h>

enum { MIN_CHAR_N = 2, MAX_CHAR_N = 5, MAX_WORD_CPS = 24 };

static int push(feat_set *fs, uint64_t id, uint32_t tok, uint32_t kind)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 256;
        feat *nf = realloc(fs->f, cap * sizeof *nf);
        if (!nf)
            return TEXT_ENOMEM;
        fs->f = nf;
        fs->cap = cap;
    }
    fs->f[fs->n++] = (feat){ .id = hash_final(id), .count = 1, .tok = tok, .kind = kind };
    return TEXT_OK;
}

/* Copies src[0..n) into dst with every ASCII digit replaced by 0; returns n. */
static size_t fold_digits(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (src[i] >= '0' && src[i] <= '9') ? '0' : src[i];
    return n;
}

static int char_grams(feat_set *fs, const text_token *tk, uint32_t tok)
{
    char w[TEXT_MAX_TOKEN + 2];
    size_t cp_at[MAX_WORD_CPS + 3], ncp = 0, len, i = 0;
    w[0] = '<';
    len = 1 + fold_digits(w + 1, tk->norm, tk->norm_len);
    w[len++] = '>';
    while (i < len && ncp < MAX_WORD_CPS + 2) {
        cp_at[ncp++] = i;
        text_utf8_next(w, len, &i);
    }
    cp_at[ncp] = i;
    for (size_t a = 0; a < ncp; a++) {
        for (size_t g = MIN_CHAR_N; g <= MAX_CHAR_N && a + g <= ncp; g++) {
            uint64_t h = hash_add(hash_init('c'), w + cp_at[a], cp_at[a + g] - cp_at[a]);
            if (push(fs, h, tok, FEAT_CHAR) != TEXT_OK)
                return TEXT_ENOMEM;
        }
    }
    return TEXT_OK;
}

static uint64_t stem_hash(uint64_t h, const text_token *tk)
{
    char w[TEXT_MAX_TOKEN * 2];
    size_t n = tk->stem_len < sizeof w ? tk->stem_len : sizeof w;
    return hash_add(h, w, fold_digits(w, tk->stem, n));
}

static int cmp_feat(const void *a, const void *b)
{
    const feat *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Sorts by id and merges duplicates into counts, keeping the first token. */
static void merge(feat_set *fs)
{
    size_t w = 0;
    if (!fs->n)
        return;
    qsort(fs->f, fs->n, sizeof *fs->f, cmp_feat);
    for (size_t r = 1; r < fs->n; r++) {
        if (fs->f[r].id == fs->f[w].id)
            fs->f[w].count += 1;
        else
            fs->f[++w] = fs->f[r];
    }
    fs->n = w + 1;
}

int feat_extract(text_tokenizer *t, const char *s, size_t n, feat_set *out)
{
    const text_token *tk;
    size_t nt;
    int rc;
    out->n = 0;
    if ((rc = text_tokenize(t, s, n, &out->toks)) != TEXT_OK)
        return rc;
    tk = out->toks.tok;
    nt = out->toks.n;
    for (size_t i = 0; i < nt; i++) {
        uint32_t ti = (uint32_t)i;
        uint64_t prev = i ? stem_hash(hash_init('b'), &tk[i - 1]) : hash_add(hash_init('b'), "^", 1);
        if (push(out, stem_hash(hash_init('w'), &tk[i]), ti, FEAT_WORD) != TEXT_OK ||
            push(out, stem_hash(hash_add(prev, " ", 1), &tk[i]), ti, FEAT_WORD) != TEXT_OK ||
            char_grams(out, &tk[i], ti) != TEXT_OK)
            return TEXT_ENOMEM;
    }
    if (nt && push(out, hash_add(stem_hash(hash_init('b'), &tk[nt - 1]), " $", 2),
                   (uint32_t)(nt - 1), FEAT_WORD) != TEXT_OK)
        return TEXT_ENOMEM;
    merge(out);
    return TEXT_OK;
}

void feat_set_free(feat_set *fs)
{
    free(fs->f);
    text_tokens_free(&fs->toks);
    memset(fs, 0, sizeof *fs);
}
