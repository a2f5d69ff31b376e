/* The AI's first response to a new ticket (when an admin turns it on): a public reply from the
 * best knowledge-base article when its confidence reaches the setting, else an acknowledgement
 * promising an answer within the configured hours. Settings in ai_first_response. */
#ifndef PARLEY_ASSIST_FIRST_RESPONSE_H
#define PARLEY_ASSIST_FIRST_RESPONSE_H
#include <jansson.h>
#include <stdint.h>

#include "assist/assist.h"
#include "assist/config.h"
#include "events/bus.h"
#include "kb/index.h"

/* The admin's `first_response` settings: {enabled, min_confidence, response_hours} (off until
 * set); a PUT changes the members it names. */
extern const struct assist_setting assist_first_response_setting;
/* When the first response is on: answers new ticket ticket_id with a public message by the AI
 * (author_kind "ai") — the offline reply from the best article when its confidence reaches the
 * setting, else an acknowledgement with the expected response time — audited with actor "ai"
 * and recorded as an ai_decisions row of kind "first_response", in one transaction; then
 * message.created on bus (may be NULL). */
enum err assist_first_response(struct assist *a, struct db *db, struct bus *bus, struct kb_index *ix,
                               int64_t ticket_id, struct failure *f);

#endif
