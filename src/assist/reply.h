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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assist/assist.h"
#include "kb/index.h"
#include "util/crypto.h"

#define ASSIST_SUGGESTIONS_MAX 3
#define ASSIST_TICKET_SOURCES 2     /* past solved tickets offered beside the articles */
#define ASSIST_SOURCES_MAX (ASSIST_SUGGESTIONS_MAX + ASSIST_TICKET_SOURCES)
#define ASSIST_PASSAGE_MAX 1500     /* bytes of an article's text that go into a suggestion or a prompt */

/* A reply in language lang (en, de, fr, es, nl, it, pt; others English): the greeting (the
 * built-in one to `name` when greeting is NULL), text, a pointer to the article titled `title`
 * (none when NULL) and the closing (the built-in one when NULL). Pure; the caller frees it. */
char *assist_reply_wrap(const char *lang, const char *name, const char *text, const char *title,
                        const char *greeting, const char *closing);
/* The paragraphs of Markdown md that share the most words with query (stemmed in lang), in their
 * order, at most max bytes in all (the first paragraphs when none share a word); headings are
 * left out. Pure; the caller frees the result. */
char *assist_reply_passages(const char *md, const char *query, const char *lang, size_t max);
/* The suggestions for ticket_id to agent agent_name: {items: [{id, body, sources: [{type, id,
 * title}], confidence, provider, model?, llm_error?}]} in *out (an empty list when nothing in the
 * knowledge base matches). key opens the LLM's API key. ERR_NOT_FOUND without such a ticket. */
enum err assist_suggest(struct assist *a, struct db *db, struct kb_index *ix, const uint8_t key[CRYPTO_KEY_BYTES],
                        int64_t ticket_id, const char *agent_name, json_t **out, struct failure *f);

/* An article or past solved ticket a reply is grounded in (strings owned by the
 * assist_gathered holding it). */
struct assist_source {
    int64_t id;
    const char *type;           /* "article" or "ticket"; static */
    char *title, *language, *passages;
    double confidence;          /* 0..1 from the retrieval score */
};

/* What the AI's replies start from: the ticket's text, its language, the requester's name and
 * the best knowledge-base articles (src[0] the best). */
struct assist_gathered {
    int64_t ticket_id;
    char *query, *lang, *name, *subject;
    json_t *templates;          /* the admin's response templates (assist/templates.h) */
    struct assist_source src[ASSIST_SOURCES_MAX];
    size_t n;
};

/* Reads ticket_id (its language detected when it has none yet) and finds its sources into *g,
 * which the caller frees with assist_gathered_free, also on failure: up to 3 published public
 * articles and, with_tickets (for agents only), up to 2 past solved tickets, strongest first.
 * ERR_NOT_FOUND without such a ticket. */
enum err assist_gather(struct assist *a, struct db *db, struct kb_index *ix, int64_t ticket_id, bool with_tickets,
                       struct assist_gathered *g, struct failure *f);
/* Frees what assist_gather filled in. */
void assist_gathered_free(struct assist_gathered *g);
/* The offline reply to g's ticket in language lang: the admin's greeting and closing templates
 * for lang (or the default ones) filled in for the requester and agent_name (NULL for the AI's own
 * messages), else the built-in ones, around text and the pointer to title. Caller frees it. */
char *assist_compose(const struct assist_gathered *g, const char *lang, const char *agent_name, const char *text,
                     const char *title);
/* [{type: "article" | "ticket", id, title}] of src[0..n); the caller owns it. */
json_t *assist_sources_json(const struct assist_source *src, size_t n);
/* Inserts body as a message by the AI (author_kind "ai", channel "ai"; internal: a note only
 * staff see) into ticket_id and audits it with actor "ai", inside the caller's transaction. */
int assist_post_message(struct db *db, int64_t ticket_id, const char *body, bool internal, int64_t *message_id);
/* Records an AI decision (applied: it changed the ticket; why: any JSON, not taken over) inside
 * the caller's transaction; its id into *id when id is not NULL. */
int assist_decision_add(struct db *db, const char *kind, int64_t ticket_id, const char *label, double confidence,
                        bool applied, json_t *why, int64_t *id);
/* The acknowledgement of a new request in lang (others English), %d for the hours; static. */
const char *assist_reply_ack_format(const char *lang);
/* The Markdown line that marks an automated answer in lang and says how to confirm it or get a
 * person (others English); static. */
const char *assist_reply_auto_notice(const char *lang);

#endif
