/* Triage: what the AI decides about a new ticket (language, category, priority, sentiment, and
 * the team when auto-routing is on), written to the ticket with the AI as the audited actor and
 * kept in ai_decisions with confidence and reasons; the ticket's AI view; labels agents set. */
#ifndef PARLEY_ASSIST_TRIAGE_H
#define PARLEY_ASSIST_TRIAGE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "assist/assist.h"
#include "users/principal.h"

struct assist_triage_in {
    int64_t ticket_id;
    bool priority_given;        /* the requester chose a priority: the AI only suggests one */
    bool auto_routing;          /* the admin setting: set the team from the category */
    bool language_stored;       /* the ticket and its message were inserted with the verdict's language */
};

/* What the AI decided about a new ticket (language, category, priority, sentiment), not yet
 * written. */
struct assist_verdict;
/* Decides about a new ticket from its subject and body: CPU only, no database, so a caller runs
 * it before taking the write lock. The caller frees it with assist_verdict_free. */
struct assist_verdict *assist_triage_decide(struct assist *a, const char *subject, const char *body);
/* Frees a verdict (NULL is fine). */
void assist_verdict_free(struct assist_verdict *v);
/* The language of a verdict (ISO 639-1), or NULL when none was detected. */
const char *assist_verdict_language(const struct assist_verdict *v);
/* Writes verdict v onto the ticket in->ticket_id (fields, audit with the AI as actor,
 * ai_decisions) in a transaction of its own, nested in the caller's when one is open. */
enum err assist_triage_write(struct db *db, const struct assist_triage_in *in, struct assist_verdict *v,
                             struct failure *f);
/* The team an admin mapped category to (ai_category_teams), or 0. */
int64_t assist_category_team(struct db *db, const char *category);
/* The AI's decisions on a ticket: {ticket_id, language, category, priority, sentiment, team,
 * micros}, each decision {id, label, confidence, abstained, needs_person, applied, why,
 * model_version} or null; NULL with *e set on a database error. */
json_t *assist_ticket_view(struct db *db, int64_t ticket_id, enum err *e);
/* A person sets a ticket's category, priority or sentiment (audited as them; priority goes
 * through the ticket workflow); the override scan then learns from it at once. */
enum err assist_set_label(struct assist *a, struct db *db, const struct principal *me, const char *ip,
                          int64_t ticket_id, enum assist_kind k, const char *label, struct failure *f);

#endif
