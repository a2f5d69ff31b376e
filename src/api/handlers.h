/* Every API handler, one group per resource file in src/api/; the route table is api/routes.c.
 * Each answers one route; the route table says who may call it. */
#ifndef PARLEY_API_HANDLERS_H
#define PARLEY_API_HANDLERS_H
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

#endif
