/* text: the one tokenizer of Parley's AI and search. UTF-8 in, lower-cased
 * word tokens out, each with its Snowball stem, a stop-word flag and its byte
 * span in the input (for highlighting).
 *
 * Ownership and threads: a text_tokenizer owns a Snowball stemmer, which is
 * not thread-safe, so a tokenizer belongs to one thread (or caller) at a time.
 * A text_tokens holds the result of the last text_tokenize() call; its
 * pointers stay valid until the next call on it or text_tokens_free(). */
#ifndef PARLEY_AI_TEXT_H
#define PARLEY_AI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_err { TEXT_OK = 0, TEXT_ENOMEM, TEXT_ELANG };

/* Longest token kept, in bytes; longer runs are cut into pieces of this size. */
#define TEXT_MAX_TOKEN 64

typedef struct text_tokenizer text_tokenizer;

typedef struct {
    const char *norm;  /* lower-cased surface form, NUL-terminated */
    const char *stem;  /* Snowball stem of norm (== norm without a stemmer), NUL-terminated */
    uint32_t norm_len, stem_len;
    uint32_t start, end; /* byte span [start, end) in the input text */
    bool stop;           /* a stop word of the tokenizer's language */
} text_token;

typedef struct {
    text_token *tok;
    size_t n;
    /* private: storage reused across calls */
    char *buf;
    uint32_t *offs; /* norm and stem offsets in buf, two per token */
    size_t buf_len, buf_cap, tok_cap;
} text_tokens;

/* Makes a tokenizer for a language given as an ISO 639-1 code or a Snowball
 * name ("en", "english", "de"...); NULL or "" means no stemming and no stop
 * words. Returns NULL if out of memory or the language is unknown (*err says
 * which, err may be NULL). The caller owns it: text_tokenizer_free(). */
text_tokenizer *text_tokenizer_new(const char *lang, int *err);

/* Frees a tokenizer and its stemmer (NULL is fine). */
void text_tokenizer_free(text_tokenizer *t);

/* The language the tokenizer was made for ("" for none); owned by t. */
const char *text_tokenizer_lang(const text_tokenizer *t);

/* Splits s[0..n) into tokens written to *out (replacing its previous
 * content). Invalid UTF-8 bytes and control characters separate tokens.
 * Returns TEXT_OK or TEXT_ENOMEM. */
int text_tokenize(text_tokenizer *t, const char *s, size_t n, text_tokens *out);

/* Frees the storage of a text_tokens (not the struct itself). */
void text_tokens_free(text_tokens *tt);

/* Decodes one UTF-8 code point at s[*i..n), advancing *i; returns the code
 * point, or -1 for an invalid sequence (then *i advances by one byte). */
int32_t text_utf8_next(const char *s, size_t n, size_t *i);

/* The simple lower-case mapping of a code point (Latin, Greek, Cyrillic). */
int32_t text_lower(int32_t cp);

/* True if the code point is part of a word (letters, digits, marks). */
bool text_is_word_char(int32_t cp);

#endif
