#include "kb/categories.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

#define COLUMNS "id, parent_id, name, description, position, created_at"

static int audit_category(struct db *db, const struct actor *by, const char *action, int64_t id, const char *name)
{
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action,
                            .target_type = "kb_category", .target_id = id, .field = name ? "name" : NULL,
                            .new_value = name, .ip = by->ip};
    return audit_append(db, &e);
}

static enum err check(const struct kb_category_in *in, bool create, struct failure *f)
{
    if (create && !in->name)
        return fail(f, ERR_VALIDATION, "name", "name is required");
    if (in->name && (!*in->name || strlen(in->name) > KB_CATEGORY_NAME_MAX))
        return fail(f, ERR_VALIDATION, "name", "name must have 1 to %d characters", KB_CATEGORY_NAME_MAX);
    if (in->description && strlen(in->description) > KB_CATEGORY_DESCRIPTION_MAX)
        return fail(f, ERR_VALIDATION, "description", "description must have at most %d characters",
                    KB_CATEGORY_DESCRIPTION_MAX);
    return ERR_OK;
}

/* Ends a write transaction: commits when rc is fine (and e is OK), else rolls back. */
static enum err finish(struct db *db, int rc, enum err e, struct failure *f)
{
    if (!e && rc >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    return e ? e : fail(f, ERR_INTERNAL, NULL, "could not save the category: %s", db_errmsg(db));
}

int kb_category_subtree(struct db *db, int64_t id, int64_t **ids, size_t *n)
{
    /* ordered, so callers can search the list */
    struct db_stmt *st = db_query(db,
                                  "WITH RECURSIVE sub(id) AS (SELECT id FROM kb_categories WHERE id = $1"
                                  " UNION SELECT c.id FROM kb_categories c JOIN sub ON c.parent_id = sub.id)"
                                  " SELECT id FROM sub ORDER BY id",
                                  "i", id);
    size_t cap = 0;
    int rc = st ? DB_ROW : DB_ERROR;
    *ids = NULL;
    *n = 0;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW) {
        if (*n == cap && !(*ids = realloc(*ids, (cap = cap ? cap * 2 : 16) * sizeof **ids)))
            abort();
        (*ids)[(*n)++] = db_col_int(st, 0);
    }
    db_finalize(st);
    return rc;
}

/* Checks that parent exists and, when category id moves (id not 0), is neither id nor below it. */
static enum err check_parent(struct db *db, int64_t id, int64_t parent, struct failure *f)
{
    enum err e;
    json_decref(kb_category_get(db, parent, &e));
    if (e)
        return e == ERR_NOT_FOUND ? fail(f, ERR_VALIDATION, "parent_id", "parent_id names no category")
                                  : fail(f, e, NULL, "%s", db_errmsg(db));
    int64_t *below = NULL;
    size_t n = 0;
    int rc = id ? kb_category_subtree(db, id, &below, &n) : DB_DONE;
    bool inside = false;
    for (size_t i = 0; i < n; i++)
        inside |= below[i] == parent;
    free(below);
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    if (inside)
        return fail(f, ERR_VALIDATION, "parent_id", "a category cannot move under itself or its subcategories");
    return ERR_OK;
}

enum err kb_category_create(struct db *db, const struct actor *by, const struct kb_category_in *in, int64_t *id,
                            struct failure *f)
{
    enum err e = check(in, true, f);
    if (e)
        return e;
    int rc = db_begin(db);
    if (rc >= 0 && in->has_parent && in->parent_id)
        e = check_parent(db, 0, in->parent_id, f);
    struct db_stmt *st = NULL;
    if (rc >= 0 && !e) {
        const char *sql = "INSERT INTO kb_categories (parent_id, name, description, position, created_at)"
                          " VALUES ($1, $2, $3, $4, $5) RETURNING id";
        const char *desc = in->description ? in->description : "";
        int64_t pos = in->has_position ? in->position : 0;
        st = in->has_parent && in->parent_id ? db_query(db, sql, "ittii", in->parent_id, in->name, desc, pos, time_now())
                                             : db_query(db, sql, "nttii", in->name, desc, pos, time_now());
        rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW)
            *id = db_col_int(st, 0);
        else if (rc == DB_DONE)
            rc = DB_ERROR;
        db_finalize(st);
    }
    if (rc >= 0 && !e)
        rc = audit_category(db, by, "kb.category.create", *id, in->name);
    return finish(db, rc, e, f);
}

enum err kb_category_update(struct db *db, const struct actor *by, int64_t id, const struct kb_category_in *in,
                            struct failure *f)
{
    enum err e = check(in, false, f);
    if (e)
        return e;
    int rc = db_begin(db);
    if (rc >= 0) {
        json_decref(kb_category_get(db, id, &e));
        if (e)
            e = fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such category" : "could not read the category");
    }
    if (rc >= 0 && !e && in->has_parent && in->parent_id)
        e = check_parent(db, id, in->parent_id, f);
    if (rc >= 0 && !e && in->name)
        rc = db_run(db, "UPDATE kb_categories SET name = $1 WHERE id = $2", "ti", in->name, id);
    if (rc >= 0 && !e && in->description)
        rc = db_run(db, "UPDATE kb_categories SET description = $1 WHERE id = $2", "ti", in->description, id);
    if (rc >= 0 && !e && in->has_position)
        rc = db_run(db, "UPDATE kb_categories SET position = $1 WHERE id = $2", "ii", in->position, id);
    if (rc >= 0 && !e && in->has_parent)
        rc = in->parent_id ? db_run(db, "UPDATE kb_categories SET parent_id = $1 WHERE id = $2", "ii", in->parent_id, id)
                           : db_run(db, "UPDATE kb_categories SET parent_id = NULL WHERE id = $1", "i", id);
    if (rc >= 0 && !e)
        rc = audit_category(db, by, "kb.category.update", id, in->name);
    return finish(db, rc, e, f);
}

enum err kb_category_delete(struct db *db, const struct actor *by, int64_t id, struct failure *f)
{
    enum err e = ERR_OK;
    int rc = db_begin(db);
    if (rc >= 0) {
        json_decref(kb_category_get(db, id, &e));
        if (e)
            e = fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such category" : "could not read the category");
    }
    struct db_stmt *st = rc < 0 || e ? NULL
                                     : db_query(db,
                                                "SELECT (SELECT COUNT(*) FROM kb_categories WHERE parent_id = $1),"
                                                " (SELECT COUNT(*) FROM kb_articles WHERE category_id = $1)",
                                                "i", id);
    if (st && (rc = db_step(st)) == DB_ROW && (db_col_int(st, 0) || db_col_int(st, 1)))
        e = fail(f, ERR_CONFLICT, NULL, "the category still has %lld subcategories and %lld articles",
                 (long long)db_col_int(st, 0), (long long)db_col_int(st, 1));
    db_finalize(st);
    if (rc >= 0 && !e)
        rc = db_run(db, "DELETE FROM kb_categories WHERE id = $1", "i", id);
    if (rc >= 0 && !e)
        rc = audit_category(db, by, "kb.category.delete", id, NULL);
    return finish(db, rc, e, f);
}

static json_t *read_categories(struct db_stmt *st)
{
    if (!st)
        return NULL;
    json_t *items = json_array();
    char at[21];
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:o, s:s, s:s, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0),
                                               "parent_id",
                                               db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)),
                                               "name", db_col_text(st, 2), "description", db_col_text(st, 3),
                                               "position", (json_int_t)db_col_int(st, 4), "created_at",
                                               time_format(db_col_int(st, 5), at)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *kb_category_get(struct db *db, int64_t id, enum err *e)
{
    json_t *items = read_categories(db_query(db, "SELECT " COLUMNS " FROM kb_categories WHERE id = $1", "i", id));
    *e = !items ? ERR_INTERNAL : json_array_size(items) ? ERR_OK : ERR_NOT_FOUND;
    json_t *c = *e ? NULL : json_incref(json_array_get(items, 0));
    json_decref(items);
    return c;
}

json_t *kb_category_list(struct db *db)
{
    /* depth first: each category's depth in the tree orders parents before children */
    return read_categories(db_query(db,
                                    "WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM kb_categories"
                                    " WHERE parent_id IS NULL UNION ALL SELECT c.id, t.depth + 1 FROM kb_categories c"
                                    " JOIN tree t ON c.parent_id = t.id)"
                                    " SELECT c.id, c.parent_id, c.name, c.description, c.position, c.created_at"
                                    " FROM kb_categories c JOIN tree t ON t.id = c.id"
                                    " ORDER BY t.depth, c.position, c.name, c.id",
                                    NULL));
}
