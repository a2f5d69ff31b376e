#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "util/crypto.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* One field of the hashed text: 'N' for NULL, else 'V' and the value, then a separator. */
static void put(struct strbuf *sb, const char *v)
{
    if (v) {
        strbuf_addc(sb, 'V');
        strbuf_adds(sb, v);
    } else {
        strbuf_addc(sb, 'N');
    }
    strbuf_addc(sb, '\x1f');
}

static void put_int(struct strbuf *sb, int64_t v, bool present)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    put(sb, present ? buf : NULL);
}

/* The hash of an entry given the previous entry's hash. */
static void entry_hash(const char *prev, int64_t at, const char *actor_kind, int64_t actor_id, bool has_actor,
                       const char *action, const char *target_type, int64_t target_id, bool has_target,
                       const char *field, const char *old_value, const char *new_value, const char *ip,
                       char out[65])
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    put(&sb, prev);
    put_int(&sb, at, true);
    put(&sb, actor_kind);
    put_int(&sb, actor_id, has_actor);
    put(&sb, action);
    put(&sb, target_type);
    put_int(&sb, target_id, has_target);
    put(&sb, field);
    put(&sb, old_value);
    put(&sb, new_value);
    put(&sb, ip);
    crypto_sha256_hex(sb.data, sb.len, out);
    strbuf_free(&sb);
}

int audit_append(struct db *db, const struct audit_entry *e)
{
    int rc = db_lock(db, DB_LOCK_AUDIT);
    if (rc < 0)
        return rc;
    char prev[65] = GENESIS;
    struct db_stmt *st = db_query(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", NULL);
    if (!st)
        return DB_ERROR;
    rc = db_step(st);
    if (rc == DB_ROW)
        snprintf(prev, sizeof prev, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc < 0)
        return rc;
    int64_t at = time_now();
    const char *target_type = e->target_type ? e->target_type : "";
    const char *ip = e->ip ? e->ip : "";
    char hash[65];
    entry_hash(prev, at, e->actor_kind, e->actor_id, e->actor_id != 0, e->action, target_type, e->target_id,
               e->target_id != 0, e->field, e->old_value, e->new_value, ip, hash);
    st = db_query(db,
                  "INSERT INTO audit_log (at, actor_id, actor_kind, action, target_type, target_id, field,"
                  " old_value, new_value, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                  "ittttttttttt", at, NULL, e->actor_kind, e->action, target_type, NULL, e->field, e->old_value,
                  e->new_value, ip, prev, hash);
    if (!st)
        return DB_ERROR;
    /* ids are bound separately: 0 means NULL */
    if (e->actor_id)
        db_bind_int(st, 2, e->actor_id);
    if (e->target_id)
        db_bind_int(st, 6, e->target_id);
    rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? rc : DB_DONE;
}

int audit_record(struct db *db, const struct audit_entry *e)
{
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    rc = audit_append(db, e);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int audit_verify(struct db *db, int64_t *checked, int64_t *bad_id, char *why, size_t whylen)
{
    *checked = 0;
    *bad_id = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT id, at, actor_kind, actor_id, action, target_type, target_id, field,"
                                  " old_value, new_value, ip, prev_hash, hash FROM audit_log ORDER BY id",
                                  NULL);
    if (!st)
        return DB_ERROR;
    char prev[65] = GENESIS;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        (*checked)++;
        int64_t id = db_col_int(st, 0);
        char hash[65];
        entry_hash(prev, db_col_int(st, 1), db_col_text(st, 2), db_col_int(st, 3), !db_col_null(st, 3),
                   db_col_text(st, 4), db_col_text(st, 5), db_col_int(st, 6), !db_col_null(st, 6),
                   db_col_text(st, 7), db_col_text(st, 8), db_col_text(st, 9), db_col_text(st, 10), hash);
        const char *stored_prev = db_col_text(st, 11), *stored = db_col_text(st, 12);
        if (strcmp(stored_prev, prev) != 0) {
            *bad_id = id;
            snprintf(why, whylen, "entry %lld does not follow the entry before it (one was removed or reordered)",
                     (long long)id);
            rc = DB_ROW;
            break;
        }
        if (strcmp(stored, hash) != 0) {
            *bad_id = id;
            snprintf(why, whylen, "entry %lld was changed after it was written", (long long)id);
            rc = DB_ROW;
            break;
        }
        snprintf(prev, sizeof prev, "%s", stored);
    }
    db_finalize(st);
    return rc;
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    const char *v = db_col_text(st, col);
    return v ? json_string(v) : json_null();
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

json_t *audit_list(struct db *db, const struct audit_filter *f)
{
    /* a prefix is compared as is (LIKE would make '_' a wildcard and ignore case on SQLite) */
    bool is_prefix = f->action && f->action[0] && f->action[strlen(f->action) - 1] == '.';
    struct db_stmt *st = db_query(
        db,
        "SELECT id, at, actor_id, actor_kind, action, target_type, target_id, field, old_value, new_value, ip"
        " FROM audit_log WHERE ($1 = '' OR action = $1 OR ($2 <> '' AND substr(action, 1, length(CAST($2 AS TEXT))) = $2))"
        /* the casts give PostgreSQL the parameters' type: a bare "$6 = 0" would make it int4 */
        " AND ($3 = '' OR target_type = $3) AND (CAST($4 AS BIGINT) = 0 OR target_id = $4)"
        " AND (CAST($5 AS BIGINT) = 0 OR actor_id = $5) AND (CAST($6 AS BIGINT) = 0 OR at >= $6)"
        " AND (CAST($7 AS BIGINT) = 0 OR at <= $7) AND (CAST($8 AS BIGINT) = 0 OR id < $8)"
        " ORDER BY id DESC LIMIT $9",
        "tttiiiiii", is_prefix ? "-" : (f->action ? f->action : ""), is_prefix ? f->action : "",
        f->target_type ? f->target_type : "", f->target_id, f->actor_id, f->since, f->until, f->before_id,
        (int64_t)f->limit);
    if (!st)
        return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[21];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
        json_object_set_new(o, "at", json_string(time_format(db_col_int(st, 1), at)));
        json_object_set_new(o, "actor_id", int_or_null(st, 2));
        json_object_set_new(o, "actor_kind", text_or_null(st, 3));
        json_object_set_new(o, "action", text_or_null(st, 4));
        json_object_set_new(o, "target_type", text_or_null(st, 5));
        json_object_set_new(o, "target_id", int_or_null(st, 6));
        json_object_set_new(o, "field", text_or_null(st, 7));
        json_object_set_new(o, "old", text_or_null(st, 8));
        json_object_set_new(o, "new", text_or_null(st, 9));
        json_object_set_new(o, "ip", text_or_null(st, 10));
        json_array_append_new(items, o);
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}
