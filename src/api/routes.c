#include "api/routes.h"

#include <stdlib.h>
#include <string.h>

#include "api/ai_routes.h"
#include "api/handlers.h"
#include "api/kb_routes.h"
#include "api/macros_routes.h"

static const struct route core_routes[] = {
    R("GET", "/healthz", api_health, PERM_PUBLIC),

    R("POST", "/api/v1/auth/register", api_register, PERM_PUBLIC),
    R("POST", "/api/v1/auth/login", api_login, PERM_PUBLIC),
    R_FLAGS("POST", "/api/v1/auth/logout", api_logout, PERM_SIGNED_IN, ROUTE_2FA_SETUP),

    R_FLAGS("GET", "/api/v1/me", api_me, PERM_SIGNED_IN, ROUTE_2FA_SETUP),
    R("POST", "/api/v1/me/password", api_me_password, PERM_SIGNED_IN),
    R("GET", "/api/v1/me/sessions", api_me_sessions, PERM_SIGNED_IN),
    R("DELETE", "/api/v1/me/sessions/{id}", api_me_session_delete, PERM_SIGNED_IN),
    R_FLAGS("POST", "/api/v1/me/2fa", api_me_2fa_begin, PERM_SIGNED_IN, ROUTE_2FA_SETUP),
    R_FLAGS("POST", "/api/v1/me/2fa/enable", api_me_2fa_enable, PERM_SIGNED_IN, ROUTE_2FA_SETUP),
    R("POST", "/api/v1/me/2fa/disable", api_me_2fa_disable, PERM_SIGNED_IN),

    R("POST", "/api/v1/api-keys", api_keys_create, PERM_SIGNED_IN),
    R("GET", "/api/v1/api-keys", api_keys_list, PERM_SIGNED_IN),
    R("DELETE", "/api/v1/api-keys/{id}", api_keys_delete, PERM_SIGNED_IN),

    R("POST", "/api/v1/users", api_users_create, PERM_USERS_MANAGE),
    R("GET", "/api/v1/users", api_users_list, PERM_USERS_MANAGE),
    R("GET", "/api/v1/users/{id}", api_users_get, PERM_USERS_MANAGE),
    R("PATCH", "/api/v1/users/{id}", api_users_update, PERM_USERS_MANAGE),

    R("GET", "/api/v1/staff", api_staff_list, PERM_TICKETS_WORK),
    R("GET", "/api/v1/teams", api_teams_list, PERM_TICKETS_WORK),
    R("POST", "/api/v1/teams", api_teams_create, PERM_TEAMS_MANAGE),
    R("GET", "/api/v1/teams/{id}", api_teams_get, PERM_TICKETS_WORK),
    R("PATCH", "/api/v1/teams/{id}", api_teams_update, PERM_TEAMS_MANAGE),
    R("DELETE", "/api/v1/teams/{id}", api_teams_delete, PERM_TEAMS_MANAGE),
    R("POST", "/api/v1/teams/{id}/members", api_teams_member_add, PERM_TEAMS_MANAGE),
    R("DELETE", "/api/v1/teams/{id}/members/{user_id}", api_teams_member_remove, PERM_TEAMS_MANAGE),

    R("GET", "/api/v1/admin/settings", api_settings_get, PERM_SETTINGS),
    R("PATCH", "/api/v1/admin/settings", api_settings_patch, PERM_SETTINGS),
    R("GET", "/api/v1/admin/audit", api_audit_list, PERM_AUDIT_READ),

    R_RATE("POST", "/api/v1/tickets", api_tickets_create, PERM_SIGNED_IN, RATE_TICKET_CREATE),
    R("GET", "/api/v1/tickets", api_tickets_list, PERM_SIGNED_IN),
    R_RATE("POST", "/api/v1/tickets/bulk", api_tickets_bulk, PERM_TICKETS_WORK, RATE_TICKET_UPDATE),
    R("GET", "/api/v1/tickets/{id}", api_tickets_get, PERM_SIGNED_IN),
    R_RATE("PATCH", "/api/v1/tickets/{id}", api_tickets_update, PERM_SIGNED_IN, RATE_TICKET_UPDATE),
    R_RATE("POST", "/api/v1/tickets/{id}/messages", api_messages_create, PERM_SIGNED_IN, RATE_TICKET_UPDATE),
    R("GET", "/api/v1/tickets/{id}/messages", api_messages_list, PERM_SIGNED_IN),
    R("GET", "/api/v1/tickets/{id}/events", api_ticket_events, PERM_TICKETS_WORK),
    R_RATE("POST", "/api/v1/tickets/{id}/rating", api_tickets_rate, PERM_SIGNED_IN, RATE_TICKET_UPDATE),
    R_RATE("POST", "/api/v1/tickets/{id}/merge", api_tickets_merge, PERM_TICKETS_WORK, RATE_TICKET_UPDATE),
    R("GET", "/api/v1/events", api_events_stream, PERM_SIGNED_IN),
    /* the limit leaves room for the multipart framing around a 10 MiB file */
    R_STREAM("POST", "/api/v1/tickets/{id}/attachments", api_attachments_upload, PERM_SIGNED_IN,
             10 * 1024 * 1024 + 64 * 1024, RATE_TICKET_UPDATE, api_attachments_chunk),
    R("GET", "/api/v1/tickets/{id}/attachments", api_attachments_list, PERM_SIGNED_IN),
    R("GET", "/api/v1/attachments/{id}", api_attachments_download, PERM_SIGNED_IN),

    R("GET", "/api/v1/views", api_views_list, PERM_TICKETS_WORK),
    R("POST", "/api/v1/views", api_views_create, PERM_TICKETS_WORK),
    R("DELETE", "/api/v1/views/{id}", api_views_delete, PERM_TICKETS_WORK),
    R("GET", "/api/v1/views/{id}/tickets", api_views_tickets, PERM_TICKETS_WORK),

    R("GET", "/api/v1/statuses", api_statuses_list, PERM_SIGNED_IN),
    R("GET", "/api/v1/priorities", api_priorities_list, PERM_SIGNED_IN),
    R("GET", "/api/v1/fields", api_fields_list, PERM_SIGNED_IN),
    R("POST", "/api/v1/admin/statuses", api_statuses_create, PERM_SETTINGS),
    R("PUT", "/api/v1/admin/statuses/{key}/transitions", api_statuses_transitions, PERM_SETTINGS),
    R("POST", "/api/v1/admin/priorities", api_priorities_create, PERM_SETTINGS),
    R("GET", "/api/v1/admin/fields", api_fields_list, PERM_SETTINGS),
    R("POST", "/api/v1/admin/fields", api_fields_create, PERM_SETTINGS),
    R("PATCH", "/api/v1/admin/fields/{id}", api_fields_update, PERM_SETTINGS),
    R("DELETE", "/api/v1/admin/fields/{id}", api_fields_delete, PERM_SETTINGS),
};

#define GROUP(table) {table, sizeof table / sizeof table[0]}

static const struct route_group groups[] = {
    GROUP(core_routes),
    {kb_routes, kb_routes_count},
    GROUP(ai_routes),
    GROUP(macros_routes),
};

struct route *api_routes_all(size_t *count)
{
    size_t n = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        n += groups[g].count;
    struct route *all = malloc(n * sizeof *all);
    if (!all)
        abort();
    *count = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        memcpy(all + *count, groups[g].routes, groups[g].count * sizeof *all);
        *count += groups[g].count;
    }
    return all;
}
