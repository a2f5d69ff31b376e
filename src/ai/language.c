#include "ai/language.h"

#include <fingerprint.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ai/lang_fingerprint.h"
#include "ai/text.h"
#include "util/strhash.h"

/* libexttextcat's own constants (constants.h is not a public header everywhere). */
#define FP_MAX_NGRAMS LANG_FP_GRAMS
#define FP_MAX_OUT_OF_PLACE 400

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

/* Where an n-gram stands in one language's fingerprint. */
struct posting {
    uint16_t fp, rank;
};

/* An n-gram of some fingerprint and its postings[first .. first+count). */
struct gram {
    char *text;
    uint32_t hash, first, count;
};

/* fp_Compare's out-of-place distance is a sum over the text's n-grams, so it is computed for
 * every language at once from an index n-gram → (language, rank): the same numbers, without
 * 45 sorted-list merges per text. */
struct lang_detector {
    struct fingerprint *fps;
    size_t n, cap;
    struct gram *grams;         /* open addressing, nslots a power of two; text NULL: empty */
    size_t nslots;
    struct posting *postings;
};

static struct gram *find_slot(const struct lang_detector *d, const char *text, uint32_t hash)
{
    size_t mask = d->nslots - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct gram *g = &d->grams[i];
        if (!g->text || (g->hash == hash && strcmp(g->text, text) == 0))
            return g;
    }
}

/* The n-grams of a fingerprint in rank order (fp_Print's lines), in one buffer the caller frees. */
static char *print_fingerprint(void *fp, char **lines, size_t cap, size_t *n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fp_Print(fp, f);
    fclose(f);
    *n = 0;
    for (char *line = buf, *end; line && *line && *n < cap; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        if (end)
            *end = 0;
        lines[(*n)++] = line;
    }
    return buf;
}

/* Builds the n-gram index over all fingerprints; false when out of memory. */
static bool build_index(struct lang_detector *d)
{
    char *lines[FP_MAX_NGRAMS];
    char **bufs = calloc(d->n, sizeof *bufs);
    size_t *counts = calloc(d->n, sizeof *counts), total = 0;
    char ***all = calloc(d->n, sizeof *all);
    bool ok = bufs && counts && all;
    for (size_t i = 0; ok && i < d->n; i++) {
        all[i] = malloc(sizeof lines);
        ok = all[i] && (bufs[i] = print_fingerprint(d->fps[i].fp, all[i], FP_MAX_NGRAMS, &counts[i])) != NULL;
        total += counts[i];
    }
    for (d->nslots = 64; ok && d->nslots < total * 2; d->nslots *= 2)
        ;
    if (ok) {
        d->grams = calloc(d->nslots, sizeof *d->grams);
        d->postings = malloc((total ? total : 1) * sizeof *d->postings);
        ok = d->grams && d->postings;
    }
    /* first count each n-gram's postings, then lay them out and fill them in */
    for (int pass = 0; ok && pass < 2; pass++) {
        for (size_t i = 0; ok && i < d->n; i++) {
            for (size_t r = 0; ok && r < counts[i]; r++) {
                uint32_t h = str_hash(all[i][r]);
                struct gram *g = find_slot(d, all[i][r], h);
                if (pass == 0 && !g->text) {
                    ok = (g->text = strdup(all[i][r])) != NULL;
                    g->hash = h;
                }
                if (pass == 0)
                    g->count++;
                else
                    d->postings[g->first + g->count++] = (struct posting){(uint16_t)i, (uint16_t)r};
            }
        }
        uint32_t next = 0;
        for (size_t k = 0; pass == 0 && k < d->nslots; k++) {
            d->grams[k].first = next;
            next += d->grams[k].count;
            d->grams[k].count = 0;
        }
    }
    for (size_t i = 0; bufs && i < d->n; i++) {
        free(bufs[i]);
        if (all)
            free(all[i]);
    }
    free(bufs);
    free(counts);
    free(all);
    return ok;
}

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
    if (!d->n || !build_index(d)) {
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
    for (size_t k = 0; d->grams && k < d->nslots; k++)
        free(d->grams[k].text);
    free(d->grams);
    free(d->postings);
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
    struct lang_fp fp;
    int32_t *score = malloc((d->n ? d->n : 1) * sizeof *score);
    if (!score)
        return;
    if (!lang_fp_build(&fp, text, len, n)) {
        free(score);
        return;
    }
    /* every n-gram of the text costs the maximum, less what each language's rank of it saves */
    for (size_t i = 0; i < d->n; i++)
        score[i] = (int32_t)(fp.n * FP_MAX_OUT_OF_PLACE);
    for (size_t j = 0; j < fp.n; j++) {
        const struct gram *g = find_slot(d, fp.gram[j], str_hash(fp.gram[j]));
        if (!g->text)
            continue;
        for (const struct posting *p = d->postings + g->first, *end = p + g->count; p < end; p++) {
            int off = (int)p->rank - (int)j;
            score[p->fp] += (off < 0 ? -off : off) - FP_MAX_OUT_OF_PLACE;
        }
    }
    int32_t best = INT32_MAX, second = INT32_MAX;
    const char *code = NULL;
    for (size_t i = 0; i < d->n; i++) {
        if (score[i] < best) {
            if (!code || strcmp(code, d->fps[i].code) != 0)
                second = best;
            best = score[i];
            code = d->fps[i].code;
        } else if (score[i] < second && strcmp(code, d->fps[i].code) != 0) {
            second = score[i];
        }
    }
    free(score);
    if (!code || best < 0)
        return;
    snprintf(out->code, sizeof out->code, "%s", code);
    out->margin = second == INT32_MAX ? 1.0f : (float)(second - best) / (float)(best ? best : 1);
}
