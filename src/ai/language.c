#include "ai/language.h"

#include <fingerprint.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ai/text.h"

/* libexttextcat's own constants (constants.h is not a public header everywhere). */
#define FP_MAX_NGRAMS 400

/* The built-in set: languages with a Snowball stemmer, then other common ones. */
static const char *const default_codes[] = {
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "ru", "el", "hu", "ro", "tr",
    "ar", "ca", "eu", "ga", "hi", "hy", "id", "lt", "ne", "sr", "ta", "yi", "pl", "cs", "sk", "sl",
    "hr", "bg", "uk", "et", "lv", "he", "fa", "vi", "th", "ja", "ko", "zh",
};

/* Codes whose fingerprints are split by script. */
static const struct {
    const char *code, *files[2];
} scripts[] = {
    {"zh", {"zh-Hans", "zh-Hant"}},
    {"sr", {"sr-Cyrl", "sr-Latn"}},
};

struct fingerprint {
    void *fp;       /* libexttextcat's fingerprint */
    char code[4];
};

struct lang_detector {
    struct fingerprint *fps;
    size_t n, cap;
};

static bool add_file(struct lang_detector *d, const char *dir, const char *code, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.lm", dir, file);
    void *fp = access(path, R_OK) == 0 ? fp_Init(code) : NULL; /* fp_Read would complain on stderr */
    if (!fp)
        return false;
    fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
    if (fp_Read(fp, path, FP_MAX_NGRAMS) == 0) {
        fp_Done(fp);
        return false;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        struct fingerprint *nf = realloc(d->fps, cap * sizeof *nf);
        if (!nf) {
            fp_Done(fp);
            return false;
        }
        d->fps = nf;
        d->cap = cap;
    }
    d->fps[d->n].fp = fp;
    snprintf(d->fps[d->n].code, sizeof d->fps[d->n].code, "%s", code);
    d->n++;
    return true;
}

static void add_language(struct lang_detector *d, const char *dir, const char *code)
{
    if (strlen(code) != 2)
        return;
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        if (strcmp(scripts[i].code, code) == 0) {
            for (size_t k = 0; k < 2; k++)
                add_file(d, dir, code, scripts[i].files[k]);
            return;
        }
    }
    add_file(d, dir, code, code);
}

struct lang_detector *lang_open(const char *dir, const char *const *codes, size_t n)
{
    struct lang_detector *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (!codes) {
        codes = default_codes;
        n = sizeof default_codes / sizeof default_codes[0];
    }
    for (size_t i = 0; i < n; i++)
        add_language(d, dir ? dir : LANG_DEFAULT_DIR, codes[i]);
    if (!d->n) {
        lang_close(d);
        return NULL;
    }
    return d;
}

void lang_close(struct lang_detector *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        fp_Done(d->fps[i].fp);
    free(d->fps);
    free(d);
}

size_t lang_count(const struct lang_detector *d)
{
    return d->n;
}

/* Counts the letters of s[0..n) and whether the text looks like text (few invalid or control bytes). */
static bool looks_like_text(const char *s, size_t n, size_t *letters)
{
    size_t i = 0, bad = 0;
    *letters = 0;
    while (i < n) {
        size_t at = i;
        int32_t cp = text_utf8_next(s, n, &i);
        if (cp < 0 || (cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') || cp == 0x7f)
            bad += i - at;
        else if (text_is_word_char(cp) && !(cp >= '0' && cp <= '9'))
            (*letters)++;
    }
    return bad * 10 <= n;
}

void lang_detect(const struct lang_detector *d, const char *text, size_t len, struct lang_guess *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return;
    size_t n = len;
    if (n > LANG_SAMPLE_BYTES) {
        n = LANG_SAMPLE_BYTES;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--; /* do not cut a character in two */
    }
    size_t letters;
    if (!looks_like_text(text, n, &letters) || letters < LANG_MIN_LETTERS)
        return;
    void *unknown = fp_Init(NULL);
    if (!unknown)
        return;
    fp_SetProperty(unknown, TCPROP_UTF8AWARE, TC_TRUE);
    if (fp_Create(unknown, text, (uint4)n, FP_MAX_NGRAMS) == 0) {
        fp_Done(unknown);
        return;
    }
    sint4 best = INT_MAX, second = INT_MAX;
    const char *code = NULL;
    for (size_t i = 0; i < d->n; i++) {
        /* scores above the runner-up's cannot change the answer: let the comparison stop early */
        sint4 score = fp_Compare(d->fps[i].fp, unknown, second);
        if (score < best) {
            if (!code || strcmp(code, d->fps[i].code) != 0)
                second = best;
            best = score;
            code = d->fps[i].code;
        } else if (score < second && strcmp(code, d->fps[i].code) != 0) {
            second = score;
        }
    }
    fp_Done(unknown);
    if (!code || best < 0)
        return;
    snprintf(out->code, sizeof out->code, "%s", code);
    out->margin = second == INT_MAX ? 1.0f : (float)(second - best) / (float)(best ? best : 1);
}
