#include "tickets/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

struct builtin {
    const char *id, *name, *filters;
};

static const struct builtin builtins[] = {
    {"mine", "My open tickets", "{\"assignee_id\":\"me\",\"open\":true}"},
    {"unassigned", "Unassigned", "{\"assignee_id\":\"none\",\"open\":true}"},
    {"reminders", "Due reminders", "{\"assignee_id\":\"me\",\"reminder_due\":true}"},
};

static int64_t count_for(struct db *db, const struct principal *me, json_t *filters)
{
    struct ticket_filter flt;
    struct failure f;
    if (ticket_filter_from_json(filters, me, &flt, &f))
        return -1;
    return tickets_count(db, me, &flt);
}

json_t *views_list(struct db *db, const struct principal *me)
{
    json_t *items = json_array();
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        json_t *filters = json_loads(builtins[i].filters, 0, NULL);
        json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:b, s:n, s:I}", "id", builtins[i].id, "name",
                                               builtins[i].name, "filters", filters, "shared", 1, "owner_id", "count",
                                               (json_int_t)count_for(db, me, filters)));
    }
    struct db_stmt *st = db_query(db,
                                  "SELECT id, name, filters, shared, owner_id FROM views WHERE owner_id = $1 OR shared = 1"
                                  " ORDER BY name, id",
                                  "i", me->user_id);
    json_t *saved = json_array();
    while (st && db_step(st) == DB_ROW) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)db_col_int(st, 0));
        json_t *filters = json_loads(db_col_text(st, 2), 0, NULL);
        json_array_append_new(saved, json_pack("{s:s, s:s, s:o, s:b, s:I}", "id", id, "name", db_col_text(st, 1),
                                               "filters", filters ? filters : json_object(), "shared",
                                               (int)db_col_int(st, 3), "owner_id", (json_int_t)db_col_int(st, 4)));
    }
    db_finalize(st);
    /* counts run once the list statement is finished */
    size_t i;
    json_t *v;
    json_array_foreach(saved, i, v) {
        json_object_set_new(v, "count", json_integer(count_for(db, me, json_object_get(v, "filters"))));
        json_array_append(items, v);
    }
    json_decref(saved);
    return items;
}

enum err views_create(struct db *db, const struct principal *me, const char *name, json_t *filters, bool shared,
                      int64_t *id, struct failure *f)
{
    if (!name || !*name || strlen(name) > 100)
        return fail(f, ERR_VALIDATION, "name", "name must have 1 to 100 characters");
    if (!json_is_object(filters))
        return fail(f, ERR_VALIDATION, "filters", "filters must be an object of list filters");
    struct ticket_filter flt;
    enum err e = ticket_filter_from_json(filters, me, &flt, f);
    if (e)
        return e;
    char *text = json_dumps(filters, JSON_COMPACT);
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO views (owner_id, name, filters, shared, created_at) VALUES ($1, $2, $3, $4, $5)"
                                  " RETURNING id",
                                  "ittii", me->user_id, name, text, (int64_t)shared, time_now());
    free(text);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
}

enum err views_delete(struct db *db, const struct principal *me, int64_t id)
{
    struct db_stmt *st = db_query(db,
                                  "DELETE FROM views WHERE id = $1 AND (owner_id = $2 OR (shared = 1 AND $3 = 1)) RETURNING id",
                                  "iii", id, me->user_id, (int64_t)(me->role == ROLE_ADMIN));
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
}

json_t *views_filters(struct db *db, const struct principal *me, const char *key)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(key, builtins[i].id) == 0)
            return json_loads(builtins[i].filters, 0, NULL);
    char *end;
    long long id = strtoll(key, &end, 10);
    if (*end || id <= 0)
        return NULL;
    struct db_stmt *st = db_query(db, "SELECT filters FROM views WHERE id = $1 AND (owner_id = $2 OR shared = 1)", "ii",
                                  (int64_t)id, me->user_id);
    json_t *filters = st && db_step(st) == DB_ROW ? json_loads(db_col_text(st, 0), 0, NULL) : NULL;
    db_finalize(st);
    return filters;
}
