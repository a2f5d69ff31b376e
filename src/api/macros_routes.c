#include "api/macros_routes.h"

#include "api/routes.h"

const struct route macros_routes[] = {
    R("GET", "/api/v1/macros", api_macros_list, PERM_TICKETS_WORK),
    R("POST", "/api/v1/macros", api_macros_create, PERM_TICKETS_WORK),
    R("PATCH", "/api/v1/macros/{id}", api_macros_update, PERM_TICKETS_WORK),
    R("DELETE", "/api/v1/macros/{id}", api_macros_delete, PERM_TICKETS_WORK),
    R_RATE("POST", "/api/v1/macros/{id}/apply", api_macros_apply, PERM_TICKETS_WORK, RATE_TICKET_UPDATE),
};
