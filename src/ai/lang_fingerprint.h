/* lang_fingerprint: the n-gram fingerprint of a text (Cavnar & Trenkle), built exactly as
 * libexttextcat 3.4's fp_Create does with TCPROP_UTF8AWARE and listed as its fp_Print lists it
 * (most frequent first, equal counts in libexttextcat's own order), so that scores computed from
 * it equal libexttextcat's — without its 8,192-bucket table, heap of 32-byte copies and sorts.
 *
 * What libexttextcat does, and this reproduces:
 * - the text is read up to its first NUL byte (here also: up to len) and written out with every
 *   run of bytes that are ASCII white space or digits turned into one '_', a '_' before the first
 *   word, and a '_' at the end unless the text ends inside a word; writing stops after
 *   sample + 1 bytes (then a '_' is added), so reading may go on past sample over white space;
 * - characters are UTF-8 by their lead byte alone (0xC0–0xDF: 2 bytes, 0xE0–0xEF: 3,
 *   0xF0–0xFF: 4, anything else 1), whatever the bytes that follow are;
 * - from every character, the n-grams of 1 to 5 characters starting there are counted, stopping
 *   after one that ends in '_'; the whole count stops at the first n-gram that reaches the end;
 * - the n-grams go, in the order of libexttextcat's hash table, through a min-heap of the
 *   LANG_FP_GRAMS most frequent, whose extraction order is the rank order. */
#ifndef PARLEY_AI_LANG_FINGERPRINT_H
#define PARLEY_AI_LANG_FINGERPRINT_H
#include <stddef.h>

/* N-grams in a fingerprint (libexttextcat's MAXNGRAMS). */
#define LANG_FP_GRAMS 400
/* Longest n-gram in bytes: 5 characters of up to 4 bytes. */
#define LANG_FP_GRAM_BYTES 20

/* A text's fingerprint: its n-grams, NUL-terminated, most frequent first. */
struct lang_fp {
    size_t n;
    char gram[LANG_FP_GRAMS][LANG_FP_GRAM_BYTES + 1];
};

/* Builds into *fp the fingerprint libexttextcat's fp_Create(fp, text, sample, LANG_FP_GRAMS) makes
 * of text[0..len) (read no further than len or its first NUL). Returns fp->n, 0 when sample is 0
 * or memory runs out. */
size_t lang_fp_build(struct lang_fp *fp, const char *text, size_t len, size_t sample);

#endif
