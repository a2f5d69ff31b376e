/* POST /api/v1/auth/register, /auth/login, /auth/logout. */
#include <string.h>

#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "audit/audit.h"
#include "http/auth.h"
#include "users/principal.h"
#include "users/sessions.h"
#include "users/totp.h"

enum err api_register(struct request *r)
{
    struct db *db = req_db(r);
    if (!db)
        return req_fail(r, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
    struct settings s = settings_get(&r->app->settings, db);
    if (!s.allow_registration)
        return req_fail(r, ERR_FORBIDDEN, NULL, "sign-up is closed; ask the support team for an account");
    struct user_input in = {0};
    enum err e;
    if ((e = in_string(r, "email", true, USER_EMAIL_MAX, &in.email)) ||
        (e = in_string(r, "name", true, USER_NAME_MAX, &in.name)) ||
        (e = in_string(r, "password", true, PASSWORD_MAX, &in.password)))
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    int64_t id;
    if ((e = users_create(db, &in, &by, &id, &f)))
        return req_failure(r, e, &f);
    struct user u;
    if (users_get(db, &r->arena, id, &u))
        return req_fail(r, ERR_INTERNAL, NULL, "the account was created but cannot be read");
    return req_json(r, 201, users_to_json(db, &u));
}

enum err api_login(struct request *r)
{
    struct db *db = req_db(r);
    if (!db)
        return req_fail(r, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
    const char *email_in, *password, *otp;
    enum err e;
    if ((e = in_string(r, "email", true, USER_EMAIL_MAX + 64, &email_in)) ||
        (e = in_string(r, "password", true, PASSWORD_MAX, &password)) || (e = in_string(r, "otp", false, 64, &otp)))
        return e;
    char email[USER_EMAIL_MAX + 1];
    if (!users_normalize_email(email_in, email))
        return req_fail(r, ERR_VALIDATION, "email", "email must be a valid address");
    int64_t wait = sessions_login_blocked(db, email, r->client_ip);
    if (wait < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "could not check sign-in attempts");
    if (wait > 0) {
        req_add_header(r, "Retry-After", arena_printf(&r->arena, "%lld", (long long)wait));
        return req_fail(r, ERR_RATE_LIMITED, NULL, "too many failed sign-ins; try again in %lld s", (long long)wait);
    }
    struct user u;
    const char *hash = NULL;
    bool found = users_get_by_email(db, &r->arena, email, &u, &hash) == ERR_OK;
    /* verify against a fixed hash when the account is missing, so timing does not tell */
    static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$Wl9mehZUTPuH/Gf1lm5hLw$rHH7c7a1tXmo9Q8566FkJotbuZ3RYhbthuCI+wdT1CY";
    bool ok = crypto_password_verify(found && hash ? hash : dummy, password) && found && u.active;
    if (!ok) {
        sessions_login_failed(db, email, r->client_ip, found && !u.active ? "inactive" : "password");
        return req_fail(r, ERR_UNAUTHORIZED, NULL, "wrong email or password");
    }
    if (u.two_factor) {
        if (!otp)
            return req_fail(r, ERR_OTP_REQUIRED, "otp", "enter the code from your authenticator app");
        if (!totp_verify(db, r->app->secret_key, u.id, otp, r->client_ip)) {
            sessions_login_failed(db, email, r->client_ip, "otp");
            return req_fail(r, ERR_OTP_REQUIRED, "otp", "the code is wrong or expired");
        }
    }
    char token[SESSION_TOKEN_CHARS + 1], csrf[SESSION_TOKEN_CHARS + 1];
    int64_t sid;
    struct audit_entry ae = {.actor_kind = "user", .actor_id = u.id, .action = "auth.login", .target_type = "user",
                             .target_id = u.id, .ip = r->client_ip};
    if (db_begin(db) < 0 || sessions_create(db, u.id, r->client_ip, req_header(r, "User-Agent"), token, csrf, &sid) < 0 ||
        sessions_login_succeeded(db, email) < 0 || audit_append(db, &ae) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        return req_fail(r, ERR_INTERNAL, NULL, "could not start the session");
    }
    struct settings s = settings_get(&r->app->settings, db);
    req_add_header(r, "Set-Cookie", auth_session_cookie(r, token));
    bool setup = s.require_2fa_for_staff && role_is_staff(u.role) && !u.two_factor;
    return req_json(r, 200, json_pack("{s:o, s:s, s:b}", "user", users_to_json(db, &u), "csrf_token", csrf,
                                      "two_factor_setup_required", setup));
}

enum err api_logout(struct request *r)
{
    struct db *db = req_db(r);
    if (r->me->session_id) {
        struct audit_entry ae = {.actor_kind = "user", .actor_id = r->me->user_id, .action = "auth.logout",
                                 .target_type = "user", .target_id = r->me->user_id, .ip = r->client_ip};
        if (db_begin(db) < 0 || sessions_revoke(db, r->me->user_id, r->me->session_id) != ERR_OK ||
            audit_append(db, &ae) < 0 || db_commit(db) < 0) {
            db_rollback(db);
            return req_fail(r, ERR_INTERNAL, NULL, "could not end the session");
        }
    }
    req_add_header(r, "Set-Cookie", auth_session_cookie(r, ""));
    return req_empty(r, 204);
}
