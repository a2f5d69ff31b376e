#include "fields/fields.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

static const char *const types[] = {"text", "number", "date", "select", "multiselect", "checkbox"};

#define FIELD_COLUMNS "id, key, label, type, options, required, customer_visible, customer_editable, position, created_at"

static json_t *row_json(struct db_stmt *st)
{
    char at[21];
    json_t *options = json_loads(db_col_text(st, 4), 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "key",
                     db_col_text(st, 1), "label", db_col_text(st, 2), "type", db_col_text(st, 3), "options",
                     options ? options : json_array(), "required", (int)db_col_int(st, 5), "customer_visible",
                     (int)db_col_int(st, 6), "customer_editable", (int)db_col_int(st, 7), "position",
                     (json_int_t)db_col_int(st, 8), "created_at", time_format(db_col_int(st, 9), at));
}

json_t *fields_list(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT " FIELD_COLUMNS " FROM custom_fields ORDER BY position, id", NULL);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, row_json(st));
    db_finalize(st);
    return items;
}

json_t *fields_get(struct db *db, int64_t id, enum err *e)
{
    struct db_stmt *st = db_query(db, "SELECT " FIELD_COLUMNS " FROM custom_fields WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *out = rc == DB_ROW ? row_json(st) : NULL;
    db_finalize(st);
    *e = rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    return out;
}

/* Reads an optional boolean member into *out (unchanged when absent). */
static enum err opt_bool(json_t *def, const char *key, int *out, struct failure *f)
{
    json_t *v = json_object_get(def, key);
    if (!v)
        return ERR_OK;
    if (!json_is_boolean(v))
        return fail(f, ERR_VALIDATION, key, "%s must be true or false", key);
    *out = json_is_true(v);
    return ERR_OK;
}

static enum err check_options(json_t *options, const char *type, struct failure *f)
{
    bool choice = strcmp(type, "select") == 0 || strcmp(type, "multiselect") == 0;
    if (!choice)
        return options && json_array_size(options) ? fail(f, ERR_VALIDATION, "options", "only select and multiselect fields have options") : ERR_OK;
    if (!json_is_array(options) || json_array_size(options) == 0 || json_array_size(options) > 500)
        return fail(f, ERR_VALIDATION, "options", "options must be a list of 1 to 500 choices");
    size_t i;
    json_t *v;
    json_array_foreach(options, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200)
            return fail(f, ERR_VALIDATION, "options", "each option must be a text of 1 to 200 characters");
    }
    return ERR_OK;
}

static int audit_field(struct db *db, const struct actor *by, const char *action, int64_t id, const char *key)
{
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action, .target_type = "field",
                            .target_id = id, .field = "key", .new_value = key, .ip = by->ip};
    return audit_append(db, &e);
}

enum err fields_create(struct db *db, const struct actor *by, json_t *def, int64_t *id, struct failure *f)
{
    const char *key = json_string_value(json_object_get(def, "key"));
    const char *label = json_string_value(json_object_get(def, "label"));
    const char *type = json_string_value(json_object_get(def, "type"));
    json_t *options = json_object_get(def, "options");
    int required = 0, visible = 1, editable = 0;
    enum err e;
    size_t klen = key ? strlen(key) : 0;
    if (klen == 0 || klen > 64)
        return fail(f, ERR_VALIDATION, "key", "key must have 1 to 64 characters");
    for (size_t i = 0; i < klen; i++)
        if (!(islower((unsigned char)key[i]) || isdigit((unsigned char)key[i]) || key[i] == '_'))
            return fail(f, ERR_VALIDATION, "key", "key may hold only a-z, 0-9 and _");
    if (!label || !*label || strlen(label) > 200)
        return fail(f, ERR_VALIDATION, "label", "label must have 1 to 200 characters");
    bool known = false;
    for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
        known |= strcmp(type, types[i]) == 0;
    if (!known)
        return fail(f, ERR_VALIDATION, "type", "type must be one of text, number, date, select, multiselect, checkbox");
    if ((e = check_options(options, type, f)) || (e = opt_bool(def, "required", &required, f)) ||
        (e = opt_bool(def, "customer_visible", &visible, f)) || (e = opt_bool(def, "customer_editable", &editable, f)))
        return e;
    char *opts = options ? json_dumps(options, JSON_COMPACT) : strdup("[]");
    int rc = db_begin(db);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db,
                                           "INSERT INTO custom_fields (key, label, type, options, required, customer_visible,"
                                           " customer_editable, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                                           " (SELECT coalesce(max(position), 0) + 1 FROM custom_fields), $8) RETURNING id",
                                           "ttttiiii", key, label, type, opts, (int64_t)required, (int64_t)visible,
                                           (int64_t)(editable && visible), time_now());
    free(opts);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    if (rc == DB_ROW)
        rc = audit_field(db, by, "field.create", *id, key);
    if (rc >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    if (rc == DB_CONSTRAINT)
        return fail(f, ERR_CONFLICT, "key", "a field with key %s already exists", key);
    return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}

enum err fields_update(struct db *db, const struct actor *by, int64_t id, json_t *def, struct failure *f)
{
    enum err e;
    json_t *cur = fields_get(db, id, &e);
    if (!cur)
        return fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such field" : "could not read the field");
    const char *type = json_string_value(json_object_get(cur, "type"));
    json_t *label = json_object_get(def, "label"), *options = json_object_get(def, "options");
    int required = json_is_true(json_object_get(cur, "required"));
    int visible = json_is_true(json_object_get(cur, "customer_visible"));
    int editable = json_is_true(json_object_get(cur, "customer_editable"));
    if (label && (!json_is_string(label) || json_string_length(label) == 0 || json_string_length(label) > 200))
        e = fail(f, ERR_VALIDATION, "label", "label must have 1 to 200 characters");
    if (!e && options)
        e = check_options(options, type, f);
    if (!e && !(e = opt_bool(def, "required", &required, f)) && !(e = opt_bool(def, "customer_visible", &visible, f)))
        e = opt_bool(def, "customer_editable", &editable, f);
    if (e) {
        json_decref(cur);
        return e;
    }
    char *opts = json_dumps(options ? options : json_object_get(cur, "options"), JSON_COMPACT);
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db,
                    "UPDATE custom_fields SET label = $1, options = $2, required = $3, customer_visible = $4,"
                    " customer_editable = $5 WHERE id = $6",
                    "ttiiii", label ? json_string_value(label) : json_string_value(json_object_get(cur, "label")), opts,
                    (int64_t)required, (int64_t)visible, (int64_t)(editable && visible), id);
    free(opts);
    if (rc >= 0)
        rc = audit_field(db, by, "field.update", id, json_string_value(json_object_get(cur, "key")));
    json_decref(cur);
    if (rc >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}

enum err fields_delete(struct db *db, const struct actor *by, int64_t id)
{
    enum err e;
    json_t *cur = fields_get(db, id, &e);
    if (!cur)
        return e;
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM custom_fields WHERE id = $1", "i", id);
    if (rc >= 0)
        rc = audit_field(db, by, "field.delete", id, json_string_value(json_object_get(cur, "key")));
    json_decref(cur);
    if (rc >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return ERR_INTERNAL;
}

static bool in_options(json_t *options, const char *s)
{
    size_t i;
    json_t *o;
    json_array_foreach(options, i, o) {
        if (strcmp(json_string_value(o), s) == 0)
            return true;
    }
    return false;
}

/* Checks one value against its definition; writes the field's path into f when it fails. */
static enum err check_value(json_t *def, json_t *v, const char *path, struct failure *f)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    json_t *options = json_object_get(def, "options");
    if (strcmp(type, "text") == 0) {
        if (!json_is_string(v) || json_string_length(v) > FIELD_TEXT_MAX)
            return fail(f, ERR_VALIDATION, path, "%s must be a text of at most %d characters", path, FIELD_TEXT_MAX);
    } else if (strcmp(type, "number") == 0) {
        if (!json_is_number(v))
            return fail(f, ERR_VALIDATION, path, "%s must be a number", path);
    } else if (strcmp(type, "date") == 0) {
        int y, m, d, used = 0;
        const char *s = json_string_value(v);
        int64_t t;
        char full[40];
        if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || s[10] ||
            (snprintf(full, sizeof full, "%sT00:00:00Z", s), !time_parse(full, &t)))
            return fail(f, ERR_VALIDATION, path, "%s must be a date like 2026-11-25", path);
    } else if (strcmp(type, "select") == 0) {
        if (!json_is_string(v) || !in_options(options, json_string_value(v)))
            return fail(f, ERR_VALIDATION, path, "%s must be one of its options", path);
    } else if (strcmp(type, "multiselect") == 0) {
        size_t i;
        json_t *o;
        if (!json_is_array(v))
            return fail(f, ERR_VALIDATION, path, "%s must be a list of its options", path);
        json_array_foreach(v, i, o) {
            if (!json_is_string(o) || !in_options(options, json_string_value(o)))
                return fail(f, ERR_VALIDATION, path, "%s must be a list of its options", path);
        }
    } else if (!json_is_boolean(v)) {
        return fail(f, ERR_VALIDATION, path, "%s must be true or false", path);
    }
    return ERR_OK;
}

static json_t *find_def(json_t *defs, const char *key)
{
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d) {
        if (strcmp(json_string_value(json_object_get(d, "key")), key) == 0)
            return d;
    }
    return NULL;
}

enum err fields_apply(struct db *db, json_t *current, json_t *values, bool as_customer, bool creating,
                      struct failure *f)
{
    if (values && !json_is_object(values))
        return fail(f, ERR_VALIDATION, "custom_fields", "custom_fields must be an object");
    json_t *defs = fields_list(db);
    if (!defs)
        return fail(f, ERR_INTERNAL, NULL, "could not read the field definitions");
    enum err e = ERR_OK;
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
        char path[160];
        snprintf(path, sizeof path, "custom_fields.%s", key);
        json_t *def = find_def(defs, key);
        if (!def || (as_customer && !json_is_true(json_object_get(def, "customer_editable")))) {
            e = fail(f, ERR_VALIDATION, path, "%s is not a field you can set", path);
            break;
        }
        if (json_is_null(v)) {
            if (json_is_true(json_object_get(def, "required"))) {
                e = fail(f, ERR_VALIDATION, path, "%s is required", path);
                break;
            }
            json_object_del(current, key);
            continue;
        }
        if ((e = check_value(def, v, path, f)))
            break;
        json_object_set(current, key, v);
    }
    size_t i;
    json_t *def;
    json_array_foreach(defs, i, def) {
        const char *k = json_string_value(json_object_get(def, "key"));
        /* a customer cannot fill a field they cannot edit, so it cannot be required of them */
        bool applies = !as_customer || json_is_true(json_object_get(def, "customer_editable"));
        if (!e && creating && applies && json_is_true(json_object_get(def, "required")) && !json_object_get(current, k)) {
            char path[160];
            snprintf(path, sizeof path, "custom_fields.%s", k);
            e = fail(f, ERR_VALIDATION, path, "%s is required", path);
        }
    }
    json_decref(defs);
    return e;
}

json_t *fields_visible(struct db *db, json_t *values)
{
    json_t *defs = fields_list(db), *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
        json_t *def = defs ? find_def(defs, key) : NULL;
        if (def && json_is_true(json_object_get(def, "customer_visible")))
            json_object_set(out, key, v);
    }
    json_decref(defs);
    return out;
}
