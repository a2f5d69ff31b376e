#include "tickets/ticket_list.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"
#include "tickets/tickets.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* The parts of a query the filters make: WHERE clauses and their parameters. */
struct built {
    struct strbuf where;
    struct db_args args;
    struct arena arena;         /* LIKE patterns and status lists */
};

static void add_clause(struct built *b, const char *fmt, int n)
{
    strbuf_adds(&b->where, " AND ");
    strbuf_addf(&b->where, fmt, n, n, n);
}

/* Escapes LIKE wildcards of q and wraps it in %…%, lower-cased. */
static const char *like_pattern(struct arena *a, const char *q)
{
    size_t n = strlen(q);
    char *p = arena_alloc(a, 2 * n + 3), *o = p;
    *o++ = '%';
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)q[i]);
        if (c == '%' || c == '_' || c == '\\')
            *o++ = '\\';
        *o++ = c;
    }
    *o++ = '%';
    *o = 0;
    return p;
}

static enum err build(const struct principal *me, const struct ticket_filter *flt, struct built *b, struct failure *f)
{
    bool staff = role_is_staff(me->role);
    strbuf_init(&b->where, 0);
    memset(&b->args, 0, sizeof b->args);
    arena_init(&b->arena, 1024);
    strbuf_adds(&b->where, "1 = 1");
    if (!staff)
        add_clause(b, "t.requester_id = $%d", db_arg_int(&b->args, me->user_id));
    else if (flt->requester_id)
        add_clause(b, "t.requester_id = $%d", db_arg_int(&b->args, flt->requester_id));
    if (flt->status && *flt->status) {
        /* a comma-separated list becomes status IN (…) */
        char *copy = arena_strdup(&b->arena, flt->status), *save = NULL;
        strbuf_adds(&b->where, " AND t.status IN (");
        int count = 0;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            if (count++ >= 10)
                return fail(f, ERR_BAD_REQUEST, "status", "status lists at most 10 statuses");
            strbuf_addf(&b->where, "%s$%d", count > 1 ? ", " : "", db_arg_text(&b->args, tok));
        }
        if (!count)
            strbuf_adds(&b->where, "NULL");
        strbuf_addc(&b->where, ')');
    }
    if (flt->open_only)
        strbuf_adds(&b->where, " AND t.status IN (SELECT key FROM statuses WHERE category NOT IN ('solved', 'closed'))");
    if (flt->priority && *flt->priority)
        add_clause(b, "t.priority = $%d", db_arg_text(&b->args, flt->priority));
    if (flt->assignee_none)
        strbuf_adds(&b->where, " AND t.assignee_id IS NULL");
    else if (flt->assignee_set)
        add_clause(b, "t.assignee_id = $%d", db_arg_int(&b->args, flt->assignee_id));
    if (flt->team_id)
        add_clause(b, "t.team_id = $%d", db_arg_int(&b->args, flt->team_id));
    if (flt->tag && *flt->tag) {
        char *tag = arena_strdup(&b->arena, flt->tag);
        for (char *c = tag; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        add_clause(b, "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = $%d)", db_arg_text(&b->args, tag));
    }
    if (flt->reminder_due)
        add_clause(b, "t.remind_at IS NOT NULL AND t.remind_at <= $%d", db_arg_int(&b->args, time_now()));
    if (flt->q && *flt->q) {
        if (strlen(flt->q) > 1000)
            return fail(f, ERR_BAD_REQUEST, "q", "q must have at most 1000 characters");
        int n = db_arg_text(&b->args, like_pattern(&b->arena, flt->q));
        strbuf_addf(&b->where,
                    " AND (lower(t.subject) LIKE $%d ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                    " WHERE m.ticket_id = t.id AND lower(m.body) LIKE $%d ESCAPE '\\'%s))",
                    n, n, staff ? "" : " AND m.internal = 0");
    }
    return ERR_OK;
}

static void built_free(struct built *b)
{
    strbuf_free(&b->where);
    arena_reset(&b->arena);
}

enum err ticket_filter_from_json(json_t *o, const struct principal *me, struct ticket_filter *out, struct failure *f)
{
    memset(out, 0, sizeof *out);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        const char *s = json_string_value(v);
        if (strcmp(k, "status") == 0 && s)
            out->status = s;
        else if (strcmp(k, "priority") == 0 && s)
            out->priority = s;
        else if (strcmp(k, "tag") == 0 && s)
            out->tag = s;
        else if (strcmp(k, "q") == 0 && s)
            out->q = s;
        else if (strcmp(k, "sort") == 0 && s)
            out->sort = s;
        else if (strcmp(k, "assignee_id") == 0 && s && strcmp(s, "me") == 0)
            out->assignee_set = true, out->assignee_id = me->user_id;
        else if (strcmp(k, "assignee_id") == 0 && s && strcmp(s, "none") == 0)
            out->assignee_none = true;
        else if (strcmp(k, "assignee_id") == 0 && json_is_integer(v))
            out->assignee_set = true, out->assignee_id = json_integer_value(v);
        else if (strcmp(k, "team_id") == 0 && json_is_integer(v))
            out->team_id = json_integer_value(v);
        else if (strcmp(k, "requester_id") == 0 && json_is_integer(v))
            out->requester_id = json_integer_value(v);
        else if (strcmp(k, "open") == 0 && json_is_boolean(v))
            out->open_only = json_is_true(v);
        else if (strcmp(k, "reminder_due") == 0 && json_is_boolean(v))
            out->reminder_due = json_is_true(v);
        else {
            char path[96];
            snprintf(path, sizeof path, "filters.%s", k);
            return fail(f, ERR_VALIDATION, path, "%s is not a filter or has the wrong type", path);
        }
    }
    return ERR_OK;
}

/* Parses "value:id" (the sort key and the id of the last row of the previous page). */
static bool parse_cursor(const char *c, int64_t *value, int64_t *id)
{
    char *end;
    *value = strtoll(c, &end, 10);
    if (*end != ':')
        return false;
    *id = strtoll(end + 1, &end, 10);
    return *end == 0 && *id > 0;
}

json_t *tickets_list(struct db *db, const struct principal *me, const struct ticket_filter *flt, char **next,
                     struct failure *f)
{
    *next = NULL;
    const char *sort = flt->sort && *flt->sort ? flt->sort : "-created_at";
    bool desc = sort[0] == '-';
    const char *col = desc ? sort + 1 : sort;
    if (strcmp(col, "created_at") != 0 && strcmp(col, "updated_at") != 0)
        return fail(f, ERR_BAD_REQUEST, "sort", "sort must be created_at, -created_at, updated_at or -updated_at"), NULL;
    /* created_at follows id, so id alone orders by creation */
    const char *key = strcmp(col, "created_at") == 0 ? "t.id" : "t.updated_at";
    struct built b;
    enum err e = build(me, flt, &b, f);
    if (!e && flt->cursor && *flt->cursor) {
        int64_t value, id;
        if (!parse_cursor(flt->cursor, &value, &id)) {
            e = fail(f, ERR_BAD_REQUEST, "cursor", "cursor is not one this server gave out");
        } else {
            int nv = db_arg_int(&b.args, value), ni = db_arg_int(&b.args, id);
            strbuf_addf(&b.where, " AND (%s %s $%d OR (%s = $%d AND t.id %s $%d))", key, desc ? "<" : ">", nv, key, nv,
                        desc ? "<" : ">", ni);
        }
    }
    if (e) {
        built_free(&b);
        return NULL;
    }
    int limit = flt->limit > 0 ? flt->limit : 50;
    char *sql = arena_printf(&b.arena, "SELECT " TICKET_COLUMNS " FROM tickets t WHERE %s ORDER BY %s %s, t.id %s LIMIT $%d",
                             b.where.data, key, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC",
                             db_arg_int(&b.args, limit));
    struct db_stmt *st = db_query_args(db, sql, &b.args);
    json_t *items = st ? json_array() : NULL;
    bool staff = role_is_staff(me->role);
    int64_t last_key = 0, last_id = 0;
    int rc = st ? DB_DONE : DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        json_array_append_new(items, tickets_row_json(st, staff));
        last_id = db_col_int(st, 0);
        last_key = strcmp(key, "t.id") == 0 ? last_id : db_col_int(st, 14);
    }
    db_finalize(st);
    built_free(&b);
    if (rc < 0) {
        json_decref(items);
        return fail(f, ERR_INTERNAL, NULL, "could not list tickets: %s", db_errmsg(db)), NULL;
    }
    if (!staff) {
        size_t i;
        json_t *t;
        json_array_foreach(items, i, t) json_object_set_new(t, "custom_fields",
                                                            fields_visible(db, json_object_get(t, "custom_fields")));
    }
    if (json_array_size(items) == (size_t)limit && asprintf(next, "%lld:%lld", (long long)last_key, (long long)last_id) < 0)
        *next = NULL;
    return items;
}

int64_t tickets_count(struct db *db, const struct principal *me, const struct ticket_filter *flt)
{
    struct built b;
    struct failure f;
    if (build(me, flt, &b, &f)) {
        built_free(&b);
        return -1;
    }
    char *sql = arena_printf(&b.arena, "SELECT count(*) FROM tickets t WHERE %s", b.where.data);
    struct db_stmt *st = db_query_args(db, sql, &b.args);
    int64_t n = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_finalize(st);
    built_free(&b);
    return n;
}
