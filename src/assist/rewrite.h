/* The tone check's rewrite: a configured LLM (assist/llm.h) rewrites a reply in the house style,
 * fixing what the check found. Never fatal: without a provider, or when it fails, there is no
 * rewrite and the reason says why. */
#ifndef PARLEY_ASSIST_REWRITE_H
#define PARLEY_ASSIST_REWRITE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ai/tone.h"
#include "store/db.h"
#include "util/crypto.h"

#define ASSIST_REWRITE_TEXT_MAX 20000   /* bytes of a reply the LLM is asked to rewrite */

/* Asks the LLM (its key opened with key) to rewrite text, written in lang, friendly and
 * professional, fixing the findings of res and avoiding the admin's words[0..nwords); *out gets
 * the rewrite (caller frees). false with a short reason in why when no provider is configured,
 * the text is too long, or the provider fails. */
bool assist_tone_rewrite(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const char *text, const char *lang,
                         const struct tone_result *res, const struct tone_word *words, size_t nwords, char **out,
                         char *why, size_t whylen);

#endif
