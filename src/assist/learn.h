/* What people do with the AI's outputs: overrides of its decisions (found in the audit log,
 * whoever made the change and through whichever route), feedback on suggestions, and the
 * metrics over both. */
#ifndef PARLEY_ASSIST_LEARN_H
#define PARLEY_ASSIST_LEARN_H
#include <jansson.h>
#include <stdint.h>

#include "assist/assist.h"

#define ASSIST_FINAL_TEXT_MAX 100000

/* Reads the audit entries since the last scan in which a person set a ticket's category,
 * priority or sentiment: each becomes a training example, and an intervention when the AI had
 * decided that field (the model learns online when the person chose differently). */
void assist_scan_overrides(struct assist *a, struct db *db);
/* Records what user_id did with AI output decision_id (outcome "sent", "edited" or "discarded",
 * final_text and rating 1..5 optional, rating 0 for none); *out gets the stored feedback. */
enum err assist_feedback(struct db *db, int64_t user_id, int64_t decision_id, const char *outcome,
                         const char *final_text, int rating, json_t **out, struct failure *f);
/* Interventions newest first (ticket_id 0: all; before_id 0: from the newest) as API objects;
 * NULL on a database error. */
json_t *assist_interventions(struct db *db, int64_t ticket_id, int64_t before_id, int limit);
/* The metrics of the last `days` days, by day: {days:[…], totals:{…}}; NULL on a database error. */
json_t *assist_metrics(struct db *db, int days);

#endif
