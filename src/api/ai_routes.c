#include "api/ai_routes.h"

#include "api/routes.h"

const struct route ai_routes[] = {
    R("POST", "/api/v1/ai/tone", api_ai_tone, PERM_TICKETS_WORK),
    R("POST", "/api/v1/ai/language", api_ai_language, PERM_TICKETS_WORK),
    R("POST", "/api/v1/ai/feedback", api_ai_feedback, PERM_TICKETS_WORK),
    R("GET", "/api/v1/ai/interventions", api_ai_interventions, PERM_REPORTS),
    R("GET", "/api/v1/ai/metrics", api_ai_metrics, PERM_REPORTS),
    R("GET", "/api/v1/ai/models", api_ai_models, PERM_TICKETS_WORK),
    R("GET", "/api/v1/tickets/{id}/ai", api_ai_ticket, PERM_TICKETS_WORK),
    R("GET", "/api/v1/tickets/{id}/suggestions", api_ai_suggestions, PERM_TICKETS_WORK),
    R_RATE("PUT", "/api/v1/tickets/{id}/ai/label", api_ai_ticket_label, PERM_TICKETS_WORK, RATE_TICKET_UPDATE),
    R_RATE("POST", "/api/v1/tickets/{id}/resolution", api_ai_resolution_answer, PERM_SIGNED_IN, RATE_TICKET_UPDATE),
    R("GET", "/api/v1/tickets/{id}/resolution", api_ai_resolution_get, PERM_SIGNED_IN),
    R("GET", "/api/v1/admin/ai", api_ai_config_get, PERM_SETTINGS),
    R("PUT", "/api/v1/admin/ai", api_ai_config_put, PERM_SETTINGS),
};
