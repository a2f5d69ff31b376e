/* The AI's first response to a new ticket (when an admin turns it on): a public reply from the
 * best knowledge-base article when its confidence reaches the setting, else an acknowledgement
 * promising an answer within the configured hours. Settings in ai_first_response. */
#ifndef PARLEY_ASSIST_FIRST_RESPONSE_H
#define PARLEY_ASSIST_FIRST_RESPONSE_H
#include <jansson.h>
#include <stdint.h>

#include "assist/assist.h"
#include "kb/index.h"

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
