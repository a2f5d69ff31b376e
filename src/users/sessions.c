#include "users/sessions.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/crypto.h"
#include "util/timeutil.h"

#define TOKEN_BYTES 32

int sessions_create(struct db *db, int64_t user_id, const char *ip, const char *user_agent,
                    char token[SESSION_TOKEN_CHARS + 1], char csrf[SESSION_TOKEN_CHARS + 1], int64_t *id)
{
    char hash[65], ua[256];
    crypto_token(token, SESSION_TOKEN_CHARS + 1, TOKEN_BYTES);
    crypto_token(csrf, SESSION_TOKEN_CHARS + 1, TOKEN_BYTES);
    crypto_sha256_hex(token, strlen(token), hash);
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    int64_t now = time_now();
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at, ip,"
                                  " user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
                                  "ittitt", user_id, hash, csrf, now, ip ? ip : "", ua);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? DB_DONE : rc < 0 ? rc : DB_ERROR;
}

enum err sessions_lookup(struct db *db, struct arena *arena, const char *token, int64_t idle_s, int64_t max_s,
                         struct principal *p)
{
    char hash[65];
    crypto_sha256_hex(token, strlen(token), hash);
    struct db_stmt *st = db_query(db,
                                  "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.email, u.name,"
                                  " u.role, u.totp_enabled FROM sessions s JOIN users u ON u.id = s.user_id"
                                  " WHERE s.token_hash = $1 AND s.revoked = 0 AND u.active = 1",
                                  "t", hash);
    if (!st)
        return ERR_INTERNAL;
    int rc = db_step(st);
    int64_t now = time_now(), last_seen = 0;
    enum err e = rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_UNAUTHORIZED : ERR_INTERNAL;
    if (!e) {
        last_seen = db_col_int(st, 4);
        if (now - last_seen > idle_s || now - db_col_int(st, 3) > max_s) {
            e = ERR_UNAUTHORIZED;
        } else {
            p->session_id = db_col_int(st, 0);
            p->user_id = db_col_int(st, 1);
            p->csrf_token = arena_strdup(arena, db_col_text(st, 2));
            p->email = arena_strdup(arena, db_col_text(st, 5));
            p->name = arena_strdup(arena, db_col_text(st, 6));
            if (!role_parse(db_col_text(st, 7), &p->role))
                p->role = ROLE_CUSTOMER;
            p->two_factor = db_col_int(st, 8) != 0;
            p->api_key_id = 0;
        }
    }
    db_finalize(st);
    if (!e && now - last_seen >= 60)
        db_run(db, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2", "ii", now, p->session_id);
    return e;
}

enum err sessions_revoke(struct db *db, int64_t user_id, int64_t session_id)
{
    struct db_stmt *st = db_query(db,
                                  "UPDATE sessions SET revoked = 1 WHERE id = $1 AND user_id = $2 AND revoked = 0"
                                  " RETURNING id",
                                  "ii", session_id, user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        while (db_step(st) == DB_ROW)
            ;
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
}

json_t *sessions_list(struct db *db, int64_t user_id, int64_t current_id, int64_t idle_s, int64_t max_s)
{
    int64_t now = time_now();
    struct db_stmt *st = db_query(db,
                                  "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions"
                                  " WHERE user_id = $1 AND revoked = 0 AND last_seen_at >= $2 AND created_at >= $3"
                                  " ORDER BY id DESC LIMIT 200",
                                  "iii", user_id, now - idle_s, now - max_s);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        char created[21], seen[21];
        int64_t id = db_col_int(st, 0);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "created_at",
                                               time_format(db_col_int(st, 1), created), "last_seen_at",
                                               time_format(db_col_int(st, 2), seen), "ip", db_col_text(st, 3),
                                               "user_agent", db_col_text(st, 4), "current", id == current_id));
    }
    db_finalize(st);
    return items;
}

/* Failures in the window for one column's value, and when the oldest of them happened. */
static int count_failures(struct db *db, const char *column_sql, const char *value, int64_t since,
                          int64_t *count, int64_t *oldest)
{
    struct db_stmt *st = db_query(db, column_sql, "ti", value, since);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        *count = db_col_int(st, 0);
        *oldest = db_col_int(st, 1);
    }
    db_finalize(st);
    return rc;
}

int64_t sessions_login_blocked(struct db *db, const char *email, const char *ip)
{
    int64_t now = time_now(), since = now - LOGIN_FAILURE_WINDOW, wait = 0;
    static const char *const queries[] = {
        "SELECT count(*), min(at) FROM (SELECT at FROM login_failures WHERE email = $1 AND at > $2"
        " ORDER BY at DESC LIMIT 10) recent",
        "SELECT count(*), min(at) FROM (SELECT at FROM login_failures WHERE ip = $1 AND at > $2"
        " ORDER BY at DESC LIMIT 10) recent",
    };
    const char *values[] = {email, ip};
    for (int i = 0; i < 2; i++) {
        int64_t count = 0, oldest = 0;
        if (count_failures(db, queries[i], values[i] ? values[i] : "", since, &count, &oldest) != DB_ROW)
            return -1;
        /* blocked until the oldest of the last ten failures leaves the window */
        if (count >= LOGIN_MAX_FAILURES && oldest + LOGIN_FAILURE_WINDOW - now + 1 > wait)
            wait = oldest + LOGIN_FAILURE_WINDOW - now + 1;
    }
    return wait;
}

int sessions_login_failed(struct db *db, const char *email, const char *ip, const char *why)
{
    int64_t now = time_now();
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)", "tti", email, ip ? ip : "",
                    now);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM login_failures WHERE at < $1", "i", now - 2 * LOGIN_FAILURE_WINDOW);
    struct audit_entry e = {.actor_kind = "anonymous", .action = "auth.login_failed", .target_type = "user",
                            .field = why, .new_value = email, .ip = ip};
    if (rc >= 0)
        rc = audit_append(db, &e);
    if (rc >= 0)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

int sessions_login_succeeded(struct db *db, const char *email)
{
    return db_run(db, "DELETE FROM login_failures WHERE email = $1", "t", email);
}
