#include "http/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "http/ratelimit.h"
#include "http/router.h"
#include "users/apikeys.h"
#include "users/sessions.h"
#include "util/timeutil.h"

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static enum err authenticate(struct request *r, const struct settings *s)
{
    struct db *db = req_db(r);
    const char *authz = req_header(r, "Authorization");
    struct principal *p = arena_calloc(&r->arena, 1, sizeof *p);
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        if (!db)
            return req_fail(r, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
        enum err e = apikeys_lookup(db, &r->arena, authz + 7, p);
        if (e == ERR_UNAUTHORIZED)
            return req_fail(r, e, NULL, "the API key is not valid or was revoked");
        if (e)
            return req_fail(r, e, NULL, "could not check the API key");
        r->me = p;
        return ERR_OK;
    }
    const char *token = req_cookie(r, SESSION_COOKIE);
    if (!token || !*token)
        return ERR_OK;
    if (!db)
        return req_fail(r, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
    enum err e = sessions_lookup(db, &r->arena, token, (int64_t)s->session_idle_minutes * 60,
                                 (int64_t)s->session_max_days * 86400, p);
    if (e == ERR_OK)
        r->me = p;
    else if (e != ERR_UNAUTHORIZED)
        return req_fail(r, e, NULL, "could not check the session");
    return ERR_OK; /* an expired cookie makes an anonymous caller */
}

static enum err rate_limit(struct request *r, const struct settings *s)
{
    const struct route *rt = r->route;
    if (rt->rate == RATE_NONE)
        return ERR_OK;
    const char *cls = rt->rate == RATE_TICKET_CREATE ? "ticket_create" : "ticket_update";
    int limit = rt->rate == RATE_TICKET_CREATE ? s->ticket_create_per_minute : s->ticket_update_per_minute;
    char *bucket = r->me ? arena_printf(&r->arena, "%s:u%lld", cls, (long long)r->me->user_id)
                         : arena_printf(&r->arena, "%s:ip%s", cls, r->client_ip ? r->client_ip : "");
    struct rate_result rr;
    ratelimit_hit(r->app->rate, req_db(r), bucket, limit, time_now(), &rr);
    req_add_header(r, "RateLimit-Limit", arena_printf(&r->arena, "%d", rr.limit));
    req_add_header(r, "RateLimit-Remaining", arena_printf(&r->arena, "%d", rr.remaining));
    req_add_header(r, "RateLimit-Reset", arena_printf(&r->arena, "%d", rr.reset));
    if (rr.allowed)
        return ERR_OK;
    req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", rr.reset));
    return req_fail(r, ERR_RATE_LIMITED, NULL, "too many requests: at most %d a minute; try again in %d s", limit,
                    rr.reset);
}

enum err auth_check(struct request *r)
{
    const struct route *rt = r->route;
    struct settings s = settings_get(&r->app->settings, req_db(r));
    enum err e = authenticate(r, &s);
    if (e)
        return e;
    if (rt->perm != PERM_PUBLIC) {
        if (!r->me)
            return req_fail(r, ERR_UNAUTHORIZED, NULL, "sign in first");
        if (r->me->session_id && unsafe_method(r->method)) {
            const char *csrf = req_header(r, "X-CSRF-Token");
            if (!csrf || !r->me->csrf_token || !crypto_equal(csrf, r->me->csrf_token))
                return req_fail(r, ERR_FORBIDDEN, NULL, "missing or wrong X-CSRF-Token header");
        }
        if (!role_has(r->me->role, rt->perm)) {
            /* customers learn nothing about what exists beyond their reach */
            if (r->me->role == ROLE_CUSTOMER)
                return req_fail(r, ERR_NOT_FOUND, NULL, "not found");
            return req_fail(r, ERR_FORBIDDEN, NULL, "your role (%s) may not do this", role_name(r->me->role));
        }
        if (s.require_2fa_for_staff && role_is_staff(r->me->role) && !r->me->two_factor &&
            !(rt->flags & ROUTE_2FA_SETUP))
            return req_fail(r, ERR_FORBIDDEN, NULL,
                            "two-factor authentication is required for staff: set it up at /api/v1/me/2fa first");
    }
    return rate_limit(r, &s);
}

const char *auth_session_cookie(struct request *r, const char *token)
{
    const char *proto = req_header(r, "X-Forwarded-Proto");
    bool secure = proto && strcasecmp(proto, "https") == 0;
    if (!*token)
        return arena_printf(&r->arena, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                            secure ? "; Secure" : "");
    return arena_printf(&r->arena, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", token,
                        secure ? "; Secure" : "");
}
