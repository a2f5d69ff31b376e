/* Every API handler, one group per resource file in src/api/; the route table is api/routes.c.
 * Each answers one route; the route table says who may call it. */
#ifndef PARLEY_API_HANDLERS_H
#define PARLEY_API_HANDLERS_H
#include <stddef.h>

#include "http/request.h"

/* GET /healthz: 200 {"status":"ok","version"} when the database answers, else 503. */
enum err api_health(struct request *r);

/* POST /api/v1/auth/register: a new customer account (when sign-up is open). */
enum err api_register(struct request *r);
/* POST /api/v1/auth/login: starts a session (cookie) and returns {user, csrf_token}. */
enum err api_login(struct request *r);
/* POST /api/v1/auth/logout: ends the caller's session. */
enum err api_logout(struct request *r);

/* GET /api/v1/me: the caller's account (with csrf_token when signed in by cookie). */
enum err api_me(struct request *r);
/* POST /api/v1/me/password: changes the password and ends the caller's other sessions. */
enum err api_me_password(struct request *r);
/* GET /api/v1/me/sessions: the caller's live sessions. */
enum err api_me_sessions(struct request *r);
/* DELETE /api/v1/me/sessions/{id}: ends one of the caller's sessions. */
enum err api_me_session_delete(struct request *r);
/* POST /api/v1/me/2fa: starts TOTP enrolment → {secret, otpauth_uri, qr_svg}. */
enum err api_me_2fa_begin(struct request *r);
/* POST /api/v1/me/2fa/enable: {otp} → 2FA on, returns the recovery codes once. */
enum err api_me_2fa_enable(struct request *r);
/* POST /api/v1/me/2fa/disable: {otp} → 2FA off. */
enum err api_me_2fa_disable(struct request *r);

/* POST /api/v1/api-keys: {name} → {id, name, token} (the token is shown only here). */
enum err api_keys_create(struct request *r);
/* GET /api/v1/api-keys: the caller's live keys. */
enum err api_keys_list(struct request *r);
/* DELETE /api/v1/api-keys/{id}: revokes one of the caller's keys at once. */
enum err api_keys_delete(struct request *r);

/* POST /api/v1/users: creates an account of any role. */
enum err api_users_create(struct request *r);
/* GET /api/v1/users: lists accounts (?role, ?q, paging). */
enum err api_users_list(struct request *r);
/* GET /api/v1/staff: the active staff by name, for agents (assignment, authors). */
enum err api_staff_list(struct request *r);
/* GET /api/v1/users/{id}: one account. */
enum err api_users_get(struct request *r);
/* PATCH /api/v1/users/{id}: changes name, role, active, password, team_ids, skills. */
enum err api_users_update(struct request *r);

/* GET /api/v1/teams: every team with its member ids. */
enum err api_teams_list(struct request *r);
/* GET /api/v1/teams/{id}: one team. */
enum err api_teams_get(struct request *r);
/* POST /api/v1/teams: {name, description?} → the new team. */
enum err api_teams_create(struct request *r);
/* PATCH /api/v1/teams/{id}: renames or redescribes a team. */
enum err api_teams_update(struct request *r);
/* DELETE /api/v1/teams/{id}: deletes a team. */
enum err api_teams_delete(struct request *r);
/* POST /api/v1/teams/{id}/members: {user_id} adds a staff member. */
enum err api_teams_member_add(struct request *r);
/* DELETE /api/v1/teams/{id}/members/{user_id}: removes a member. */
enum err api_teams_member_remove(struct request *r);

/* GET /api/v1/admin/settings: the runtime settings. */
enum err api_settings_get(struct request *r);
/* PATCH /api/v1/admin/settings: changes the named settings at once (audited). */
enum err api_settings_patch(struct request *r);
/* GET /api/v1/admin/audit: the audit log, newest first (?action, ?actor_id, ?target_type,
 * ?target_id, ?since, ?until, paging). */
enum err api_audit_list(struct request *r);

/* POST /api/v1/tickets: a new ticket with its first message (rate-limited). */
enum err api_tickets_create(struct request *r);
/* GET /api/v1/tickets: filtered, sorted, cursor-paged list of the tickets the caller may see. */
enum err api_tickets_list(struct request *r);
/* GET /api/v1/tickets/{id}: one ticket (with viewers for staff, and an ETag). */
enum err api_tickets_get(struct request *r);
/* PATCH /api/v1/tickets/{id}: changes fields (If-Match for collisions; rate-limited). */
enum err api_tickets_update(struct request *r);
/* POST /api/v1/tickets/{id}/messages: a reply or an internal note. */
enum err api_messages_create(struct request *r);
/* GET /api/v1/tickets/{id}/messages: the conversation the caller may see. */
enum err api_messages_list(struct request *r);
/* GET /api/v1/tickets/{id}/events: the ticket's audit trail. */
enum err api_ticket_events(struct request *r);
/* POST /api/v1/tickets/bulk: one change to up to 1,000 tickets, per-id results. */
enum err api_tickets_bulk(struct request *r);
/* POST /api/v1/tickets/{id}/rating: the requester's satisfaction rating. */
enum err api_tickets_rate(struct request *r);
/* POST /api/v1/tickets/{id}/merge: {into} merges this ticket into another. */
enum err api_tickets_merge(struct request *r);
/* GET /api/v1/events: the caller's live events (Server-Sent Events). */
enum err api_events_stream(struct request *r);

/* POST /api/v1/tickets/{id}/attachments: the body streams through here, chunk by chunk. */
enum err api_attachments_chunk(struct request *r, const char *data, size_t len);
/* POST /api/v1/tickets/{id}/attachments: finishes the upload → {id,filename,size,content_type,sha256}. */
enum err api_attachments_upload(struct request *r);
/* GET /api/v1/tickets/{id}/attachments: the ticket's attachments the caller may see. */
enum err api_attachments_list(struct request *r);
/* GET /api/v1/attachments/{id}: the bytes, as a download. */
enum err api_attachments_download(struct request *r);

/* GET /api/v1/views: built-in and saved views with counts. */
enum err api_views_list(struct request *r);
/* POST /api/v1/views: saves a view {name, filters, shared?}. */
enum err api_views_create(struct request *r);
/* DELETE /api/v1/views/{id}: deletes a saved view. */
enum err api_views_delete(struct request *r);
/* GET /api/v1/views/{key}/tickets: the tickets of a view. */
enum err api_views_tickets(struct request *r);

/* GET /api/v1/statuses: every status with its category and allowed transitions. */
enum err api_statuses_list(struct request *r);
/* POST /api/v1/admin/statuses: {key, label, category} adds a status. */
enum err api_statuses_create(struct request *r);
/* PUT /api/v1/admin/statuses/{key}/transitions: {to:[…]} restricts moves away from a status. */
enum err api_statuses_transitions(struct request *r);
/* GET /api/v1/priorities: every priority. */
enum err api_priorities_list(struct request *r);
/* POST /api/v1/admin/priorities: {key, label} adds a priority. */
enum err api_priorities_create(struct request *r);
/* GET /api/v1/fields: custom field definitions (customers: those shown to them). */
enum err api_fields_list(struct request *r);
/* POST /api/v1/admin/fields: defines a custom field. */
enum err api_fields_create(struct request *r);
/* PATCH /api/v1/admin/fields/{id}: changes a field definition. */
enum err api_fields_update(struct request *r);
/* DELETE /api/v1/admin/fields/{id}: removes a field definition. */
enum err api_fields_delete(struct request *r);

#endif
