#include "tickets/workflow.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/strbuf.h"

/* Runs a one-row query and copies column 0 into out (when not NULL); DB_ROW, DB_DONE or < 0. */
static int one_text(struct db *db, struct db_stmt *st, char *out, size_t cap)
{
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW && out)
        snprintf(out, cap, "%s", db_col_text(st, 0));
    db_finalize(st);
    return rc;
}

/* "a, b, c" of column 0 of a query, for error messages (caller frees). */
static char *joined(struct db *db, const char *sql)
{
    struct strbuf sb;
    strbuf_init(&sb, 1024);
    struct db_stmt *st = db_query(db, sql, NULL);
    while (st && db_step(st) == DB_ROW) {
        if (sb.len)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, db_col_text(st, 0));
    }
    db_finalize(st);
    return strbuf_take(&sb, NULL);
}

enum err workflow_status_category(struct db *db, const char *key, char category[16], struct failure *f)
{
    int rc = one_text(db, db_query(db, "SELECT category FROM statuses WHERE key = $1", "t", key), category, 16);
    if (rc == DB_ROW)
        return ERR_OK;
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    char *all = joined(db, "SELECT key FROM statuses ORDER BY position");
    enum err e = fail(f, ERR_VALIDATION, "status", "status must be one of %s", all);
    free(all);
    return e;
}

enum err workflow_check_transition(struct db *db, const char *from, const char *to, struct failure *f)
{
    if (strcmp(from, to) == 0)
        return ERR_OK;
    int any = one_text(db, db_query(db, "SELECT to_key FROM status_transitions WHERE from_key = $1", "t", from), NULL, 0);
    if (any == DB_DONE)
        return ERR_OK;
    int allowed = any < 0 ? any
                          : one_text(db,
                                     db_query(db, "SELECT to_key FROM status_transitions WHERE from_key = $1 AND to_key = $2",
                                              "tt", from, to),
                                     NULL, 0);
    if (allowed == DB_ROW)
        return ERR_OK;
    if (allowed < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    return fail(f, ERR_VALIDATION, "status", "a ticket cannot move from %s to %s", from, to);
}

enum err workflow_check_priority(struct db *db, const char *key, struct failure *f)
{
    int rc = one_text(db, db_query(db, "SELECT key FROM priorities WHERE key = $1", "t", key), NULL, 0);
    if (rc == DB_ROW)
        return ERR_OK;
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    char *all = joined(db, "SELECT key FROM priorities ORDER BY position");
    enum err e = fail(f, ERR_VALIDATION, "priority", "priority must be one of %s", all);
    free(all);
    return e;
}

json_t *workflow_statuses(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT key, label, category, position FROM statuses ORDER BY position", NULL);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:[]}", "key", db_col_text(st, 0), "label",
                                               db_col_text(st, 1), "category", db_col_text(st, 2), "position",
                                               (json_int_t)db_col_int(st, 3), "transitions"));
    db_finalize(st);
    st = db_query(db, "SELECT from_key, to_key FROM status_transitions ORDER BY from_key, to_key", NULL);
    while (st && db_step(st) == DB_ROW) {
        size_t i;
        json_t *s;
        json_array_foreach(items, i, s) {
            if (strcmp(json_string_value(json_object_get(s, "key")), db_col_text(st, 0)) == 0)
                json_array_append_new(json_object_get(s, "transitions"), json_string(db_col_text(st, 1)));
        }
    }
    db_finalize(st);
    return items;
}

json_t *workflow_priorities(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT key, label, position FROM priorities ORDER BY position", NULL);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "key", db_col_text(st, 0), "label",
                                               db_col_text(st, 1), "position", (json_int_t)db_col_int(st, 2)));
    db_finalize(st);
    return items;
}

/* Keys are lower-case letters, digits and underscores. */
static enum err check_key(const char *key, const char *label, struct failure *f)
{
    size_t len = key ? strlen(key) : 0;
    if (len == 0 || len > WORKFLOW_KEY_MAX)
        return fail(f, ERR_VALIDATION, "key", "key must have 1 to %d characters", WORKFLOW_KEY_MAX);
    for (size_t i = 0; i < len; i++)
        if (!(islower((unsigned char)key[i]) || isdigit((unsigned char)key[i]) || key[i] == '_'))
            return fail(f, ERR_VALIDATION, "key", "key may hold only a-z, 0-9 and _");
    if (!label || !*label || strlen(label) > 100)
        return fail(f, ERR_VALIDATION, "label", "label must have 1 to 100 characters");
    return ERR_OK;
}

static enum err add_row(struct db *db, const struct actor *by, const char *action, const char *sql, const char *fmt,
                        const char *key, const char *label, const char *extra, struct failure *f)
{
    int rc = db_begin(db);
    if (rc >= 0)
        rc = fmt[2] ? db_run(db, sql, fmt, key, label, extra) : db_run(db, sql, fmt, key, label);
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action,
                            .target_type = "workflow", .field = "key", .new_value = key, .ip = by->ip};
    if (rc >= 0)
        rc = audit_append(db, &e);
    if (rc >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    if (rc == DB_CONSTRAINT)
        return fail(f, ERR_CONFLICT, "key", "%s already exists", key);
    return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}

enum err workflow_add_status(struct db *db, const struct actor *by, const char *key, const char *label,
                             const char *category, struct failure *f)
{
    static const char *const categories[] = {"new", "open", "pending", "on_hold", "solved", "closed"};
    enum err e = check_key(key, label, f);
    if (e)
        return e;
    bool known = false;
    for (size_t i = 0; category && i < sizeof categories / sizeof categories[0]; i++)
        known |= strcmp(category, categories[i]) == 0;
    if (!known)
        return fail(f, ERR_VALIDATION, "category", "category must be one of new, open, pending, on_hold, solved, closed");
    return add_row(db, by, "workflow.status_add",
                   "INSERT INTO statuses (key, label, category, position)"
                   " VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM statuses))",
                   "ttt", key, label, category, f);
}

enum err workflow_add_priority(struct db *db, const struct actor *by, const char *key, const char *label,
                               struct failure *f)
{
    enum err e = check_key(key, label, f);
    if (e)
        return e;
    return add_row(db, by, "workflow.priority_add",
                   "INSERT INTO priorities (key, label, position)"
                   " VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM priorities))",
                   "tt", key, label, NULL, f);
}

enum err workflow_set_transitions(struct db *db, const struct actor *by, const char *from, json_t *to,
                                  struct failure *f)
{
    char category[16];
    enum err e = workflow_status_category(db, from, category, f);
    if (e)
        return e == ERR_VALIDATION ? fail(f, ERR_NOT_FOUND, NULL, "no such status") : e;
    if (!json_is_array(to))
        return fail(f, ERR_VALIDATION, "to", "to must be a list of statuses");
    size_t i;
    json_t *v;
    json_array_foreach(to, i, v) {
        if (!json_is_string(v))
            return fail(f, ERR_VALIDATION, "to", "to must be a list of statuses");
        if ((e = workflow_status_category(db, json_string_value(v), category, f))) {
            snprintf(f->field, sizeof f->field, "to");
            return e;
        }
    }
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM status_transitions WHERE from_key = $1", "t", from);
    json_array_foreach(to, i, v) {
        if (rc >= 0)
            rc = db_run(db, "INSERT INTO status_transitions (from_key, to_key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        "tt", from, json_string_value(v));
    }
    char *list = json_dumps(to, JSON_COMPACT);
    struct audit_entry ae = {.actor_kind = "user", .actor_id = by->user_id, .action = "workflow.transitions_set",
                             .target_type = "workflow", .field = from, .new_value = list, .ip = by->ip};
    if (rc >= 0)
        rc = audit_append(db, &ae);
    free(list);
    if (rc >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}
