/* Suggested replies to a ticket, grounded in the knowledge base: the ticket's subject and public
 * messages are the query of the one retrieval engine (kb/index.h, as KB search uses it); the
 * best published public articles (in the ticket's language when one exists in it) give the
 * passages. With an LLM configured (assist/llm.h) the first suggestion is its draft from those
 * passages; otherwise, or when the provider fails, every suggestion is composed offline: a
 * greeting, the article's most relevant paragraphs, a pointer to the article and a closing.
 * Each suggestion is stored as an ai_decisions row of kind "reply" (feedback and metrics use it). */
#ifndef PARLEY_ASSIST_REPLY_H
#define PARLEY_ASSIST_REPLY_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "assist/assist.h"
#include "kb/index.h"
#include "util/crypto.h"

#define ASSIST_SUGGESTIONS_MAX 3
#define ASSIST_PASSAGE_MAX 1500     /* bytes of an article's text that go into a suggestion or a prompt */

/* A reply in language lang (en, de, fr, es, nl, it, pt; others English): a greeting (to `name`
 * when not NULL or empty), text, a pointer to the article titled `title` (none when NULL) and a
 * closing. Pure; the caller frees the result. */
char *assist_reply_wrap(const char *lang, const char *name, const char *text, const char *title);
/* The paragraphs of Markdown md that share the most words with query (stemmed in lang), in their
 * order, at most max bytes in all (the first paragraphs when none share a word); headings are
 * left out. Pure; the caller frees the result. */
char *assist_reply_passages(const char *md, const char *query, const char *lang, size_t max);
/* The suggestions for ticket_id: {items: [{id, body, sources: [{type, id, title}], confidence,
 * provider, model?, llm_error?}]} in *out (an empty list when nothing in the knowledge base
 * matches). key opens the LLM's API key. ERR_NOT_FOUND without such a ticket. */
enum err assist_suggest(struct assist *a, struct db *db, struct kb_index *ix, const uint8_t key[CRYPTO_KEY_BYTES],
                        int64_t ticket_id, json_t **out, struct failure *f);

/* The first-response settings as the admin API shows them: {enabled, min_confidence,
 * response_hours} (the defaults, off, when never set); NULL on a database error. */
json_t *assist_first_response_get(struct db *db);
/* Checks the admin API's `first_response` member; ERR_VALIDATION naming `first_response`. */
enum err assist_first_response_check(json_t *v, struct failure *f);
/* Stores a checked `first_response` member (the members it names; the others keep their
 * values) inside the caller's transaction, audited as settings.change ai.first_response. */
int assist_first_response_put(struct db *db, json_t *v, int64_t actor_id, const char *ip);
/* When the first response is on: answers new ticket ticket_id with a public message by the AI
 * (author_kind "ai") — the offline reply from the best article when its confidence reaches the
 * setting, else an acknowledgement with the expected response time — audited with actor "ai"
 * and recorded as an ai_decisions row of kind "first_response", in one transaction. */
enum err assist_first_response(struct assist *a, struct db *db, struct kb_index *ix, int64_t ticket_id,
                               struct failure *f);

#endif
