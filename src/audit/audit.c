#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "audit/chain.h"
#include "util/timeutil.h"

int audit_append(struct db *db, const struct audit_entry *e)
{
    int64_t id;
    return audit_append_id(db, e, &id);
}

int audit_append_id(struct db *db, const struct audit_entry *e, int64_t *id)
{
    struct audit_entry row = *e;
    row.target_type = e->target_type ? e->target_type : "";
    row.ip = e->ip ? e->ip : "";
    int64_t at = time_now();
    char prev[65] = CHAIN_GENESIS, hash[65] = "";
    /* SQLite's write lock already serialises writers: link the entry now. PostgreSQL writes it
     * unlinked; audit_chain links it once committed, so no transaction waits on the chain */
    if (db->kind == DB_SQLITE) {
        struct db_stmt *st = db_query(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", NULL);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW)
            snprintf(prev, sizeof prev, "%s", db_col_text(st, 0));
        db_finalize(st);
        if (rc < 0)
            return rc;
        chain_hash(prev, at, &row, hash);
    } else {
        prev[0] = 0;
    }
    /* NULLIF: an id of 0 is no id */
    return db_insert(db, id,
                     "INSERT INTO audit_log (at, actor_id, actor_kind, action, target_type, target_id, field,"
                     " old_value, new_value, ip, prev_hash, hash) VALUES ($1, NULLIF(CAST($2 AS BIGINT), 0), $3, $4, $5,"
                     " NULLIF(CAST($6 AS BIGINT), 0), $7, $8, $9, $10, $11, $12)",
                     "iitttitttttt", at, e->actor_id, row.actor_kind, row.action, row.target_type, e->target_id,
                     row.field, row.old_value, row.new_value, row.ip, prev, hash);
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
