/* The AI engine's routes (api/ai_routes.c) and handlers (api/ai.c), and the triage hook that
 * ticket creation calls. */
#ifndef PARLEY_API_AI_ROUTES_H
#define PARLEY_API_AI_ROUTES_H
#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"

struct assist_verdict;

/* The number of routes in ai_routes (the compiler checks it against the table). */
#define AI_ROUTES_COUNT 11
/* The AI routes, one group of the route table (api/routes.c). */
extern const struct route ai_routes[AI_ROUTES_COUNT];

/* Writes the triage v (assist_triage_decide) onto ticket id just created (priority_given: the
 * requester chose the priority), inside the transaction that creates it. A failure is logged,
 * never the request's: the ticket exists either way. */
void api_ai_triage(struct request *r, int64_t id, struct assist_verdict *v, bool priority_given);
/* Gives the AI's first response to ticket id when that is on, once its creation is committed
 * (an LLM may be slow: no transaction is held). A failure is logged, never the request's. */
void api_ai_first_response(struct request *r, int64_t id);

/* POST /api/v1/ai/tone {text, language?} → {id, findings, score, language}. */
enum err api_ai_tone(struct request *r);
/* POST /api/v1/ai/language {text} → {language, margin}. */
enum err api_ai_language(struct request *r);
/* POST /api/v1/ai/feedback {suggestion_id, outcome, final_text?, rating?} → 201 the feedback. */
enum err api_ai_feedback(struct request *r);
/* GET /api/v1/ai/interventions?ticket_id=&limit=&cursor= → a page of human overrides. */
enum err api_ai_interventions(struct request *r);
/* GET /api/v1/ai/metrics?days= (1..365, default 30) → {days:[…], totals}. */
enum err api_ai_metrics(struct request *r);
/* GET /api/v1/ai/models → {items: the newest model of each kind}. */
enum err api_ai_models(struct request *r);
/* GET /api/v1/tickets/{id}/ai → the AI's decisions on the ticket and why. */
enum err api_ai_ticket(struct request *r);
/* GET /api/v1/tickets/{id}/suggestions → {items: up to 3 suggested replies grounded in the
 * knowledge base, each stored as an AI decision}. */
enum err api_ai_suggestions(struct request *r);
/* PUT /api/v1/tickets/{id}/ai/label {kind, label} → the ticket's AI view after a person set it. */
enum err api_ai_ticket_label(struct request *r);
/* GET /api/v1/admin/ai → {category_teams, tone_words, llm, first_response}. */
enum err api_ai_config_get(struct request *r);
/* PUT /api/v1/admin/ai {category_teams?, tone_words?, llm?, first_response?} → the settings as stored. */
enum err api_ai_config_put(struct request *r);

#endif
