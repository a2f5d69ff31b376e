/* text: UTF-8 tokenizer with lower-casing, Snowball stemming and stop words. */
#include "ai/text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

struct text_tokenizer {
    struct sb_stemmer *stemmer; /* NULL: no stemming */
    const char *const *stop;    /* sorted stop-word list, or NULL */
    size_t nstop;
    char lang[16];
};

/* Sorted (strcmp order) so that lookups can use bsearch. */
static const char *const stop_en[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
    "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
    "i", "i'd", "i'm", "i've", "if", "in", "into", "is", "it", "it's", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "own", "s", "same", "she", "should", "so", "some", "such", "t", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_stop(const text_tokenizer *t, const char *w)
{
    return t->nstop && bsearch(&w, t->stop, t->nstop, sizeof *t->stop, cmp_str) != NULL;
}

text_tokenizer *text_tokenizer_new(const char *lang, int *err)
{
    text_tokenizer *t = calloc(1, sizeof *t);
    int rc = TEXT_OK;
    if (!t) {
        rc = TEXT_ENOMEM;
        goto done;
    }
    if (lang && *lang) {
        if (strlen(lang) >= sizeof t->lang) {
            rc = TEXT_ELANG;
            goto done;
        }
        t->stemmer = sb_stemmer_new(lang, "UTF_8");
        if (!t->stemmer) {
            rc = TEXT_ELANG;
            goto done;
        }
        strcpy(t->lang, lang);
        if (!strcmp(lang, "en") || !strcmp(lang, "english") || !strcmp(lang, "eng")) {
            t->stop = stop_en;
            t->nstop = sizeof stop_en / sizeof *stop_en;
        }
    }
done:
    if (rc != TEXT_OK) {
        text_tokenizer_free(t);
        t = NULL;
    }
    if (err)
        *err = rc;
    return t;
}

void text_tokenizer_free(text_tokenizer *t)
{
    if (!t)
        return;
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    free(t);
}

const char *text_tokenizer_lang(const text_tokenizer *t)
{
    return t->lang;
}

int32_t text_utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i;
    int32_t cp;
    size_t len, k;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        cp = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        cp = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        cp = p[0] & 0x07;
    } else {
        goto bad;
    }
    if (left < len)
        goto bad;
    for (k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            goto bad;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        goto bad;
    *i += len;
    return cp;
bad:
    *i += 1;
    return -1;
}

static size_t utf8_put(char *out, int32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Blocks where upper case letters sit at even code points, lower at odd. */
static bool in_even_odd_block(int32_t cp)
{
    return (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) ||
           (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
           (cp >= 0x1E00 && cp <= 0x1E95) || (cp >= 0x1EA0 && cp <= 0x1EFF);
}

int32_t text_lower(int32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp == 0x130)
        return 'i';
    if (cp == 0x178)
        return 0xFF;
    if (in_even_odd_block(cp))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 37;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 63;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x531 && cp <= 0x556)
        return cp + 48;
    if (cp >= 0xFF21 && cp <= 0xFF3A)
        return cp + 32;
    return cp;
}

bool text_is_word_char(int32_t cp)
{
    if (cp < 0)
        return false;
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0xC0)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)
        return false;
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xD800 && cp <= 0xF8FF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65) || cp >= 0xFFF0)
        return cp >= 0x10000 && cp < 0x1F000; /* planes 1+ except symbols/emoji */
    return true;
}

/* text_is_word_char for an ASCII byte. */
static inline bool ascii_word(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static bool is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static int buf_reserve(text_tokens *tt, size_t more)
{
    size_t cap = tt->buf_cap ? tt->buf_cap : 256;
    char *nb;
    if (tt->buf_len + more <= tt->buf_cap)
        return TEXT_OK;
    while (cap < tt->buf_len + more)
        cap *= 2;
    nb = realloc(tt->buf, cap);
    if (!nb)
        return TEXT_ENOMEM;
    tt->buf = nb;
    tt->buf_cap = cap;
    return TEXT_OK;
}

static int tok_reserve(text_tokens *tt)
{
    size_t cap = tt->tok_cap ? tt->tok_cap * 2 : 32;
    text_token *nt;
    uint32_t *no;
    if (tt->n < tt->tok_cap)
        return TEXT_OK;
    nt = realloc(tt->tok, cap * sizeof *nt);
    if (!nt)
        return TEXT_ENOMEM;
    tt->tok = nt;
    no = realloc(tt->offs, cap * 2 * sizeof *no);
    if (!no)
        return TEXT_ENOMEM;
    tt->offs = no;
    tt->tok_cap = cap;
    return TEXT_OK;
}

/* Appends the token held in word[0..len) (spanning input [start, end)) with its stem. */
static int emit(text_tokenizer *t, text_tokens *tt, const char *word, size_t len,
                size_t start, size_t end)
{
    const char *stem = word;
    size_t stem_len = len;
    text_token *tk;
    if (tok_reserve(tt) != TEXT_OK)
        return TEXT_ENOMEM;
    if (t->stemmer) {
        const sb_symbol *s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)word, (int)len);
        if (!s)
            return TEXT_ENOMEM;
        stem = (const char *)s;
        stem_len = (size_t)sb_stemmer_length(t->stemmer);
    }
    if (buf_reserve(tt, len + stem_len + 2) != TEXT_OK)
        return TEXT_ENOMEM;
    tk = &tt->tok[tt->n];
    tt->offs[2 * tt->n] = (uint32_t)tt->buf_len;
    memcpy(tt->buf + tt->buf_len, word, len);
    tt->buf[tt->buf_len + len] = 0;
    tk->stop = is_stop(t, tt->buf + tt->buf_len);
    tt->buf_len += len + 1;
    if (!t->stemmer) {
        tt->offs[2 * tt->n + 1] = tt->offs[2 * tt->n]; /* the stem is the norm: one copy */
    } else {
        tt->offs[2 * tt->n + 1] = (uint32_t)tt->buf_len;
        memcpy(tt->buf + tt->buf_len, stem, stem_len);
        tt->buf[tt->buf_len + stem_len] = 0;
        tt->buf_len += stem_len + 1;
    }
    tk->norm_len = (uint32_t)len;
    tk->stem_len = (uint32_t)stem_len;
    tk->start = (uint32_t)start;
    tk->end = (uint32_t)end;
    tt->n++;
    return TEXT_OK;
}

int text_tokenize(text_tokenizer *t, const char *s, size_t n, text_tokens *out)
{
    char word[TEXT_MAX_TOKEN + 1];
    size_t wlen = 0, wstart = 0, wend = 0, i = 0, k;
    int rc = TEXT_OK;
    out->n = 0;
    out->buf_len = 0;
    if (n > UINT32_MAX / 4)
        n = UINT32_MAX / 4; /* offsets are 32-bit; nobody tokenizes a gigabyte */
    while (i < n) {
        size_t at = i;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 && b != '\'') {
            /* ASCII (all but the apostrophe): what the general steps below do, without decoding */
            i++;
            if (!ascii_word(b)) {
                if (wlen && (rc = emit(t, out, word, wlen, wstart, wend)) != TEXT_OK)
                    goto done;
                wlen = 0;
                continue;
            }
            if (wlen + 1 > TEXT_MAX_TOKEN) {
                if ((rc = emit(t, out, word, wlen, wstart, wend)) != TEXT_OK)
                    goto done;
                wlen = 0;
            }
            if (!wlen)
                wstart = at;
            word[wlen++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            wend = i;
            continue;
        }
        int32_t cp = text_utf8_next(s, n, &i);
        char enc[4];
        size_t elen;
        if (is_apostrophe(cp) && wlen > 0 && i < n) {
            size_t j = i;
            if (text_is_word_char(text_utf8_next(s, n, &j)) && wlen + 1 < TEXT_MAX_TOKEN) {
                word[wlen++] = '\'';
                continue;
            }
        }
        if (!text_is_word_char(cp)) {
            if (wlen && (rc = emit(t, out, word, wlen, wstart, wend)) != TEXT_OK)
                goto done;
            wlen = 0;
            continue;
        }
        elen = utf8_put(enc, text_lower(cp));
        if (wlen + elen > TEXT_MAX_TOKEN) {
            if ((rc = emit(t, out, word, wlen, wstart, wend)) != TEXT_OK)
                goto done;
            wlen = 0;
        }
        if (!wlen)
            wstart = at;
        memcpy(word + wlen, enc, elen);
        wlen += elen;
        wend = i;
    }
    if (wlen && (rc = emit(t, out, word, wlen, wstart, wend)) != TEXT_OK)
        goto done;
    for (k = 0; k < out->n; k++) {
        out->tok[k].norm = out->buf + out->offs[2 * k];
        out->tok[k].stem = out->buf + out->offs[2 * k + 1];
    }
done:
    if (rc != TEXT_OK)
        out->n = 0;
    return rc;
}

void text_tokens_free(text_tokens *tt)
{
    free(tt->tok);
    free(tt->offs);
    free(tt->buf);
    memset(tt, 0, sizeof *tt);
}
