#include "users/apikeys.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/crypto.h"
#include "util/timeutil.h"

#define KEY_PREFIX "pk_"

enum err apikeys_create(struct db *db, const struct actor *by, const char *name,
                        char token[APIKEY_TOKEN_CHARS + 1], int64_t *id, struct failure *f)
{
    if (!name || !*name || strlen(name) > APIKEY_NAME_MAX)
        return fail(f, ERR_VALIDATION, "name", "name must have 1 to %d characters", APIKEY_NAME_MAX);
    char random[44], hash[65], prefix[12];
    *id = 0;
    crypto_token(random, sizeof random, 32);
    snprintf(token, APIKEY_TOKEN_CHARS + 1, KEY_PREFIX "%.43s", random);
    crypto_sha256_hex(token, strlen(token), hash);
    snprintf(prefix, sizeof prefix, "%.10s", token);
    int rc = db_begin(db);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db,
                                           "INSERT INTO api_keys (user_id, name, token_hash, prefix, created_at)"
                                           " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                           "ittti", by->user_id, name, hash, prefix, time_now());
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = "api_key.create",
                            .target_type = "api_key", .target_id = *id, .field = "name", .new_value = name,
                            .ip = by->ip};
    if (rc == DB_ROW && audit_append(db, &e) >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "could not create the key: %s", db_errmsg(db));
}

json_t *apikeys_list(struct db *db, int64_t user_id)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, name, prefix, created_at, last_used_at FROM api_keys"
                                  " WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
                                  "i", user_id);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        char created[21], used[21];
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)db_col_int(st, 0), "name",
                             db_col_text(st, 1), "prefix", db_col_text(st, 2), "created_at",
                             time_format(db_col_int(st, 3), created), "last_used_at",
                             db_col_null(st, 4) ? json_null() : json_string(time_format(db_col_int(st, 4), used))));
    }
    db_finalize(st);
    return items;
}

enum err apikeys_revoke(struct db *db, const struct actor *by, int64_t id)
{
    if (db_begin(db) < 0)
        return ERR_INTERNAL;
    struct db_stmt *st = db_query(db,
                                  "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND user_id = $3"
                                  " AND revoked_at IS NULL RETURNING id",
                                  "iii", time_now(), id, by->user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = "api_key.revoke",
                            .target_type = "api_key", .target_id = id, .ip = by->ip};
    if (rc == DB_ROW && audit_append(db, &e) >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err apikeys_lookup(struct db *db, struct arena *arena, const char *token, struct principal *p)
{
    char hash[65];
    crypto_sha256_hex(token, strlen(token), hash);
    struct db_stmt *st = db_query(db,
                                  "SELECT k.id, k.user_id, k.last_used_at, u.email, u.name, u.role, u.totp_enabled"
                                  " FROM api_keys k JOIN users u ON u.id = k.user_id"
                                  " WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND u.active = 1",
                                  "t", hash);
    if (!st)
        return ERR_INTERNAL;
    int rc = db_step(st);
    int64_t last_used = 0;
    if (rc == DB_ROW) {
        p->api_key_id = db_col_int(st, 0);
        p->user_id = db_col_int(st, 1);
        last_used = db_col_int(st, 2);
        p->email = arena_strdup(arena, db_col_text(st, 3));
        p->name = arena_strdup(arena, db_col_text(st, 4));
        if (!role_parse(db_col_text(st, 5), &p->role))
            p->role = ROLE_CUSTOMER;
        p->two_factor = db_col_int(st, 6) != 0;
        p->session_id = 0;
        p->csrf_token = NULL;
    }
    db_finalize(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? ERR_UNAUTHORIZED : ERR_INTERNAL;
    int64_t now = time_now();
    if (now - last_used >= 60)
        db_run(db, "UPDATE api_keys SET last_used_at = $1 WHERE id = $2", "ii", now, p->api_key_id);
    return ERR_OK;
}
