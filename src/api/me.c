/* /api/v1/me: the caller's account, password, sessions and two-factor authentication. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "users/principal.h"
#include "users/sessions.h"
#include "users/totp.h"

enum err api_me(struct request *r)
{
    struct db *db = req_db(r);
    struct user u;
    if (users_get(db, &r->arena, r->me->user_id, &u))
        return req_fail(r, ERR_INTERNAL, NULL, "could not read your account");
    json_t *out = users_to_json(db, &u);
    if (r->me->csrf_token)
        json_object_set_new(out, "csrf_token", json_string(r->me->csrf_token));
    return req_json(r, 200, out);
}

enum err api_me_password(struct request *r)
{
    struct db *db = req_db(r);
    const char *current, *next;
    enum err e;
    if ((e = in_string(r, "current_password", true, PASSWORD_MAX, &current)) ||
        (e = in_string(r, "new_password", true, PASSWORD_MAX, &next)))
        return e;
    struct user u;
    const char *hash = NULL;
    if (users_get_by_email(db, &r->arena, r->me->email, &u, &hash) || !crypto_password_verify(hash, current))
        return req_fail(r, ERR_VALIDATION, "current_password", "current_password is wrong");
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = users_set_password(db, u.id, u.email, next, r->me->session_id, &by, &f))) {
        /* the policy speaks of "password"; here the field is new_password */
        if (strcmp(f.field, "password") == 0)
            snprintf(f.field, sizeof f.field, "new_password");
        return req_failure(r, e, &f);
    }
    return req_empty(r, 204);
}

enum err api_me_sessions(struct request *r)
{
    struct settings s = settings_get(&r->app->settings, req_db(r));
    json_t *items = sessions_list(req_db(r), r->me->user_id, r->me->session_id, (int64_t)s.session_idle_minutes * 60,
                                  (int64_t)s.session_max_days * 86400);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list sessions");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_me_session_delete(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    e = sessions_revoke(req_db(r), r->me->user_id, id);
    if (e)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such session" : "could not end the session");
    return req_empty(r, 204);
}

enum err api_me_2fa_begin(struct request *r)
{
    if (r->me->two_factor)
        return req_fail(r, ERR_CONFLICT, NULL, "two-factor authentication is already on");
    struct failure f;
    struct actor by = req_actor(r);
    json_t *out = totp_begin(req_db(r), r->app->secret_key, &by, r->me->email, &f);
    return out ? req_json(r, 200, out) : req_failure(r, ERR_INTERNAL, &f);
}

enum err api_me_2fa_enable(struct request *r)
{
    const char *otp;
    enum err e = in_string(r, "otp", true, 64, &otp);
    if (e)
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    json_t *out;
    if ((e = totp_enable(req_db(r), r->app->secret_key, &by, otp, &out, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 200, out);
}

enum err api_me_2fa_disable(struct request *r)
{
    const char *otp;
    enum err e = in_string(r, "otp", true, 64, &otp);
    if (e)
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = totp_disable(req_db(r), r->app->secret_key, &by, otp, &f)))
        return req_failure(r, e, &f);
    return req_empty(r, 204);
}
