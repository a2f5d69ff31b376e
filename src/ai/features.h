/* features: turns a text into hashed sparse features for the linear models:
 * stemmed word unigrams, stem bigrams (with sentence start/end marks) and
 * character 2- to 5-grams of each lower-cased word between boundary marks.
 * Digits are all mapped to 0, so that order numbers and dates generalise. */
#ifndef PARLEY_AI_FEATURES_H
#define PARLEY_AI_FEATURES_H

#include "ai/text.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t id;  /* feature hash, never 0 */
    float count;  /* occurrences in the text */
    uint32_t tok; /* first token it came from (for explanations) */
    uint32_t kind; /* FEAT_WORD or FEAT_CHAR */
} feat;

enum { FEAT_WORD = 0, FEAT_CHAR = 1, FEAT_KINDS = 2 };

typedef struct {
    feat *f;      /* sorted by id, ids unique */
    size_t n;
    text_tokens toks; /* the tokens of the last text */
    size_t cap;       /* private */
} feat_set;

/* Extracts the features of s[0..n) into *out (replacing its content) using
 * tokenizer t. Returns TEXT_OK or TEXT_ENOMEM. */
int feat_extract(text_tokenizer *t, const char *s, size_t n, feat_set *out);

/* Frees the storage of a feat_set (not the struct itself). */
void feat_set_free(feat_set *fs);

#endif
