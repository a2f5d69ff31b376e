#include "macros/macros.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macros/actions.h"
#include "macros/render.h"
#include "util/timeutil.h"

#define COLUMNS "id, owner_id, name, body, actions, created_at, updated_at"

/* The macro object of a row selected with COLUMNS. */
static json_t *row_json(struct db_stmt *st)
{
    char created[21], updated[21];
    json_t *actions = json_loads(db_col_text(st, 4), 0, NULL);
    bool shared = db_col_null(st, 1);
    return json_pack("{s:I, s:s, s:s, s:o, s:b, s:o, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
                     db_col_text(st, 2), "body", db_col_text(st, 3), "actions", actions ? actions : json_object(),
                     "shared", shared, "owner_id", shared ? json_null() : json_integer(db_col_int(st, 1)),
                     "created_at", time_format(db_col_int(st, 5), created), "updated_at",
                     time_format(db_col_int(st, 6), updated));
}

json_t *macros_list(struct db *db, const struct principal *me, int64_t cursor, int limit)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT " COLUMNS " FROM macros WHERE (owner_id = $1 OR owner_id IS NULL) AND id > $2"
                                  " ORDER BY id LIMIT $3",
                                  "iii", me->user_id, cursor, (int64_t)limit);
    json_t *items = json_array();
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, row_json(st));
    db_finalize(st);
    if (rc == DB_DONE)
        return items;
    json_decref(items);
    return NULL;
}

json_t *macros_get(struct db *db, const struct principal *me, int64_t id, enum err *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT " COLUMNS " FROM macros WHERE id = $1 AND (owner_id = $2 OR owner_id IS NULL)",
                                  "ii", id, me->user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *m = rc == DB_ROW ? row_json(st) : NULL;
    db_finalize(st);
    *e = m ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    return m;
}

/* Checks a macro's members as they will be stored; a shared one needs an admin. */
static enum err check(struct db *db, const struct principal *me, json_t *m, struct failure *f)
{
    json_t *name = json_object_get(m, "name"), *body = json_object_get(m, "body"),
           *shared = json_object_get(m, "shared");
    if (!json_is_string(name) || !json_string_length(name) || json_string_length(name) > MACRO_NAME_MAX ||
        strspn(json_string_value(name), " \t\r\n") == json_string_length(name))
        return fail(f, ERR_VALIDATION, "name", "name must have 1 to %d characters", MACRO_NAME_MAX);
    if (!json_is_string(body) || json_string_length(body) > MACRO_BODY_MAX)
        return fail(f, ERR_VALIDATION, "body", "body must be Markdown text of at most %d bytes", MACRO_BODY_MAX);
    if (!json_is_boolean(shared))
        return fail(f, ERR_VALIDATION, "shared", "shared must be true or false");
    enum err e;
    if ((e = macro_body_check(json_string_value(body), "body", f)) ||
        (e = macro_actions_check(db, me, json_object_get(m, "actions"), f)))
        return e;
    if (!json_string_length(body) && !json_object_size(json_object_get(m, "actions")))
        return fail(f, ERR_VALIDATION, "body", "a macro needs a body or at least one action");
    if (json_is_true(shared) && !role_has(me->role, PERM_SETTINGS))
        return fail(f, ERR_FORBIDDEN, "shared", "only admins manage shared macros (your role: %s)", role_name(me->role));
    return ERR_OK;
}

/* Copies the members a client may set from in over m. */
static enum err merge(json_t *m, json_t *in, struct failure *f)
{
    if (!json_is_object(in))
        return fail(f, ERR_BAD_REQUEST, NULL, "send a JSON object with name, body, actions and shared");
    static const char *const keys[] = {"name", "body", "actions", "shared"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(in, keys[i]);
        if (v)
            json_object_set(m, keys[i], v);
    }
    return ERR_OK;
}

/* The owner column for a macro: NULL (shared) or me. */
static int64_t owner_of(json_t *m, const struct principal *me)
{
    return json_is_true(json_object_get(m, "shared")) ? 0 : me->user_id;
}

enum err macros_create(struct db *db, const struct principal *me, json_t *in, int64_t *id, struct failure *f)
{
    json_t *m = json_pack("{s:s, s:o, s:b}", "body", "", "actions", json_object(), "shared", 0);
    enum err e = merge(m, in, f);
    if (!e)
        e = check(db, me, m, f);
    if (!e) {
        char *actions = json_dumps(json_object_get(m, "actions"), JSON_COMPACT);
        int64_t now = time_now(), owner = owner_of(m, me);
        struct db_stmt *st = db_query(db,
                                      "INSERT INTO macros (owner_id, name, body, actions, created_by, created_at,"
                                      " updated_at) VALUES (NULLIF($1, 0), $2, $3, $4, $5, $6, $6) RETURNING id",
                                      "itttii", owner, json_string_value(json_object_get(m, "name")),
                                      json_string_value(json_object_get(m, "body")), actions, me->user_id, now);
        free(actions);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW)
            *id = db_col_int(st, 0);
        db_finalize(st);
        if (rc != DB_ROW)
            e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    }
    json_decref(m);
    return e;
}

/* The macro id as me may change it: visible to me, and when shared, me an admin. Caller owns it. */
static json_t *for_change(struct db *db, const struct principal *me, int64_t id, enum err *e, struct failure *f)
{
    json_t *m = macros_get(db, me, id, e);
    if (!m) {
        fail(f, *e, NULL, *e == ERR_NOT_FOUND ? "no such macro" : "could not read the macro");
        return NULL;
    }
    if (json_is_true(json_object_get(m, "shared")) && !role_has(me->role, PERM_SETTINGS)) {
        *e = fail(f, ERR_FORBIDDEN, NULL, "only admins manage shared macros (your role: %s)", role_name(me->role));
        json_decref(m);
        return NULL;
    }
    return m;
}

enum err macros_update(struct db *db, const struct principal *me, int64_t id, json_t *in, struct failure *f)
{
    enum err e;
    json_t *m = for_change(db, me, id, &e, f);
    if (!m)
        return e;
    if (!(e = merge(m, in, f)) && !(e = check(db, me, m, f))) {
        char *actions = json_dumps(json_object_get(m, "actions"), JSON_COMPACT);
        int rc = db_run(db,
                        "UPDATE macros SET owner_id = NULLIF($1, 0), name = $2, body = $3, actions = $4, updated_at = $5"
                        " WHERE id = $6",
                        "itttii", owner_of(m, me), json_string_value(json_object_get(m, "name")),
                        json_string_value(json_object_get(m, "body")), actions, time_now(), id);
        free(actions);
        if (rc != DB_DONE)
            e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    }
    json_decref(m);
    return e;
}

enum err macros_delete(struct db *db, const struct principal *me, int64_t id, struct failure *f)
{
    enum err e;
    json_t *m = for_change(db, me, id, &e, f);
    if (!m)
        return e;
    json_decref(m);
    if (db_run(db, "DELETE FROM macros WHERE id = $1", "i", id) != DB_DONE)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    return ERR_OK;
}
