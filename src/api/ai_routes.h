/* The AI engine's routes (api/ai_routes.c) and handlers (api/ai.c), and the triage hook that
 * ticket creation calls. */
#ifndef PARLEY_API_AI_ROUTES_H
#define PARLEY_API_AI_ROUTES_H
#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"

struct assist_verdict;

/* The number of routes in ai_routes (the compiler checks it against the table). */
#define AI_ROUTES_COUNT 13
/* The AI routes, one group of the route table (api/routes.c). */
extern const struct route ai_routes[AI_ROUTES_COUNT];

/* Once the creation of ticket id is committed (an LLM may be slow: no transaction is held):
 * sends the automated answer when the ticket qualifies, else the AI's first response when that
 * is on. A failure is logged, never the request's. */
void api_ai_first_response(struct request *r, int64_t id);

/* Reads the ticket id of the path into *id; 404 unless the caller may see that ticket. */
enum err api_ai_visible_ticket(struct request *r, int64_t *id);

/* POST /api/v1/ai/tone {text, language?, rewrite?} → {id, findings, score, language, rewrite?}. */
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
/* POST /api/v1/tickets/{id}/resolution {helped} (the requester) → the automated answer's resolution. */
enum err api_ai_resolution_answer(struct request *r);
/* GET /api/v1/tickets/{id}/resolution → the ticket's automated answer and what became of it. */
enum err api_ai_resolution_get(struct request *r);
/* GET /api/v1/admin/ai → {category_teams, tone_words, llm, first_response, auto_resolve}. */
enum err api_ai_config_get(struct request *r);
/* PUT /api/v1/admin/ai {category_teams?, tone_words?, llm?, first_response?, auto_resolve?} → the
 * settings as stored. */
enum err api_ai_config_put(struct request *r);

#endif
