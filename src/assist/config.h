/* The AI's settings, changed by admins (GET · PUT /api/v1/admin/ai): which team a category routes
 * to (used when the auto-routing setting is on), the words replies should avoid (the tone check),
 * the LLM, the first response, automated resolution and the response templates. */
#ifndef PARLEY_ASSIST_CONFIG_H
#define PARLEY_ASSIST_CONFIG_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ai/tone.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/error.h"

#define ASSIST_TONE_WORDS_MAX 500
#define ASSIST_TONE_WORD_MAX 200    /* bytes of a phrase or a suggestion */

/* One member of the admin's AI settings document (GET · PUT /api/v1/admin/ai) that a module
 * keeps in a table of its own. */
struct assist_setting {
    const char *member;         /* "first_response" */
    /* The member as the API shows it (the defaults when never set); NULL on a database error. */
    json_t *(*get)(struct db *db);
    /* Checks a new value; ERR_VALIDATION naming the member (or one of its fields). */
    enum err (*check)(json_t *v, struct failure *f);
    bool merge;                 /* a PUT changes the fields it names (else it replaces the value) */
    /* Writes a checked whole value inside the caller's transaction (assist_config_put audits it). */
    int (*store)(struct db *db, json_t *value);
};

/* {category_teams: {category: team_id}, tone_words: [{phrase, suggestion}], llm: the LLM provider
 * (assist_llm_get) or null, first_response: assist_first_response_get, auto_resolve:
 * assist_auto_resolve_get, templates: assist_templates_get}; NULL on a database error. */
json_t *assist_config_get(struct db *db);
/* Replaces what doc names (category_teams, tone_words, llm — its API key sealed with key —,
 * first_response, auto_resolve, templates) after checking all of it, in one transaction, audited for actor_id;
 * ERR_VALIDATION naming the member on a bad value. */
enum err assist_config_put(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], json_t *doc, int64_t actor_id,
                           const char *ip, struct failure *f);
/* Audits a change of the AI setting `field` (e.g. "ai.first_response") to value by actor_id,
 * inside the caller's transaction. */
int assist_audit_settings(struct db *db, const char *field, json_t *value, int64_t actor_id, const char *ip);
/* The tone words, strings in arena, into *out (count in *n); a database error gives none. */
void assist_tone_words(struct db *db, struct arena *arena, struct tone_word **out, size_t *n);

#endif
