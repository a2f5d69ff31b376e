/* The LLM provider of suggested replies: any OpenAI-compatible POST {base_url}/chat/completions
 * (Ollama, llama.cpp server, vLLM, OpenAI), reached with libcurl under strict limits (connect
 * LLM_CONNECT_MS, the whole call the configured timeout of at most LLM_TIMEOUT_MAX seconds, the
 * answer at most LLM_RESPONSE_MAX bytes). Its settings live in the ai_llm table, the API key
 * sealed with the data folder's secret key. Every failure is reported, never fatal: the caller
 * falls back to the offline composer. */
#ifndef PARLEY_ASSIST_LLM_H
#define PARLEY_ASSIST_LLM_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/crypto.h"
#include "util/error.h"

#define LLM_CONNECT_MS 2000
#define LLM_TIMEOUT_MAX 20               /* seconds, and the default */
#define LLM_RESPONSE_MAX (1024 * 1024)   /* bytes of an answer that are read */
#define LLM_REPLY_MAX 20000              /* bytes of a draft that are kept */
#define LLM_URL_MAX 500
#define LLM_MODEL_MAX 200
#define LLM_KEY_MAX 500

/* A configured provider; the strings are owned (assist_llm_free). */
struct assist_llm {
    char *base_url, *model;
    char *api_key;              /* opened; NULL for none */
    int timeout_seconds;
};

/* Reads the provider's settings into *out (the key opened with key): true when one is
 * configured; false when none, on a database error or when the key cannot be opened (logged). */
bool assist_llm_load(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], struct assist_llm *out);
/* Frees the strings of c. */
void assist_llm_free(struct assist_llm *c);
/* The settings as the admin API shows them: {base_url, model, timeout_seconds, has_api_key}, or
 * JSON null when none; NULL on a database error. */
json_t *assist_llm_get(struct db *db);
/* Checks the admin API's `llm` member (an object, or null to remove the provider); ERR_VALIDATION
 * naming `llm` otherwise. */
enum err assist_llm_check(json_t *llm, struct failure *f);
/* Stores a checked `llm` member inside the caller's transaction: base_url, model and
 * timeout_seconds replace the old ones; api_key a string seals a new key, null removes it,
 * absent keeps the stored one. Audited as settings.change ai.llm (without the key). */
int assist_llm_put(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], json_t *llm, int64_t actor_id,
                   const char *ip);
/* Asks the provider for a chat completion of system and user; *reply gets the first choice's
 * text (caller frees, cut at LLM_REPLY_MAX bytes). On failure (unreachable, timeout, HTTP
 * status other than 200, an answer too big or not the expected JSON, empty text) returns false
 * with a short reason in why. */
bool assist_llm_chat(const struct assist_llm *c, const char *system, const char *user, char **reply, char *why,
                     size_t whylen);

#endif
