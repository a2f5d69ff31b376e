#include "tickets/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "tickets/workflow.h"
#include "util/markdown.h"
#include "util/timeutil.h"

#define MESSAGE_COLUMNS                                                                      \
    "id, ticket_id, author_id, author_kind, internal, body, body_html, channel, created_at," \
    " (SELECT name FROM users u WHERE u.id = m.author_id)"

enum err messages_insert(struct db *db, const struct principal *author, int64_t ticket_id,
                         const struct message_new *m, int64_t *id, struct failure *f)
{
    if (!m->body || !*m->body)
        return fail(f, ERR_VALIDATION, "body", "body is required");
    if (strlen(m->body) > TICKET_BODY_MAX)
        return fail(f, ERR_VALIDATION, "body", "body must have at most %d characters", TICKET_BODY_MAX);
    char *rendered = m->body_html ? NULL : markdown_to_html(m->body);
    int rc = db_insert(db, id,
                       "INSERT INTO messages (ticket_id, author_id, author_kind, internal, body, body_html,"
                       " channel, language, created_at) VALUES ($1, $2, 'user', $3, $4, $5, $6, $7, $8)",
                       "iiitttti", ticket_id, author->user_id, (int64_t)m->internal, m->body,
                       m->body_html ? m->body_html : rendered, m->channel, m->language, time_now());
    free(rendered);
    return rc >= 0 ? ERR_OK : fail(f, ERR_INTERNAL, NULL, "could not save the message: %s", db_errmsg(db));
}

enum err messages_add(struct db *db, const struct principal *me, const char *ip, int64_t ticket_id, const char *body,
                      bool internal, const char *status, const struct if_match *cond, int64_t *id,
                      struct ticket_ref *ref, struct failure *f)
{
    bool staff = role_is_staff(me->role);
    if (internal && !staff)
        return fail(f, ERR_VALIDATION, "internal", "only staff can write internal notes");
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_access(db, me, ticket_id, ref);
    if (e) {
        fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
        goto done;
    }
    if ((e = tickets_check_match(cond, ref->version, ref->updated_at, f)))
        goto done;
    if ((e = messages_insert(db, me, ticket_id, &(struct message_new){.body = body, .internal = internal, .channel = "web"}, id, f)))
        goto done;
    struct db_stmt *st = db_query(db,
                                  "SELECT t.status, s.category, t.first_response_at FROM tickets t"
                                  " JOIN statuses s ON s.key = t.status WHERE t.id = $1",
                                  "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    char cur_status[48] = "", category[16] = "";
    bool responded = true;
    if (rc == DB_ROW) {
        snprintf(cur_status, sizeof cur_status, "%s", db_col_text(st, 0));
        snprintf(category, sizeof category, "%s", db_col_text(st, 1));
        responded = !db_col_null(st, 2);
    }
    db_finalize(st);
    if (rc != DB_ROW) {
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    }
    const char *next = status;
    if (!next && !internal && !staff && (strcmp(category, "pending") == 0 || strcmp(category, "solved") == 0))
        next = "open";
    if (!next && !internal && staff && strcmp(category, "new") == 0)
        next = "open";
    if (next && !status && strcmp(next, cur_status) != 0) {
        /* a move the workflow forbids is not made for the writer: the message alone is kept */
        struct failure ignored;
        enum err we = workflow_check_transition(db, cur_status, next, &ignored);
        if (we == ERR_INTERNAL) {
            e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
            goto done;
        }
        if (we)
            next = NULL;
    }
    struct audit_entry ae = {.actor_kind = "user", .actor_id = me->user_id,
                             .action = internal ? "ticket.note" : "ticket.reply", .target_type = "ticket",
                             .target_id = ticket_id, .field = "message_id", .ip = ip};
    char mid[24];
    snprintf(mid, sizeof mid, "%lld", (long long)*id);
    ae.new_value = mid;
    if (audit_append(db, &ae) < 0 ||
        (staff && !internal && !responded &&
         db_run(db, "UPDATE tickets SET first_response_at = $1 WHERE id = $2", "ii", time_now(), ticket_id) < 0)) {
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    }
    if (next && strcmp(next, cur_status) != 0) {
        struct ticket_patch p = {.status = next};
        struct principal as = *me;
        /* a customer's reply reopens their ticket even where they could not set the status */
        if (!status)
            as.role = ROLE_AGENT;
        if ((e = tickets_apply(db, &as, ip, ticket_id, &p, ref, f)))
            goto done;
    } else if (tickets_touch(db, ticket_id) < 0) {
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        goto done;
    } else {
        ref->version++;
    }
    if (db_commit(db) < 0)
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
done:
    if (e)
        db_rollback(db);
    return e;
}

static json_t *row_json(struct db_stmt *st)
{
    char at[21];
    const char *name = db_col_text(st, 9);
    return json_pack("{s:I, s:I, s:o, s:o, s:s, s:b, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
                     "ticket_id", (json_int_t)db_col_int(st, 1), "author_id",
                     db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)), "author_name",
                     name ? json_string(name) : json_null(), "author_kind",
                     db_col_text(st, 3), "internal", (int)db_col_int(st, 4), "body", db_col_text(st, 5), "body_html",
                     db_col_text(st, 6), "channel", db_col_text(st, 7), "created_at",
                     time_format(db_col_int(st, 8), at));
}

json_t *messages_get(struct db *db, int64_t id)
{
    struct db_stmt *st = db_query(db, "SELECT " MESSAGE_COLUMNS " FROM messages m WHERE m.id = $1", "i", id);
    json_t *m = st && db_step(st) == DB_ROW ? row_json(st) : NULL;
    db_finalize(st);
    return m;
}

json_t *messages_list(struct db *db, const struct principal *me, int64_t ticket_id, int64_t after, int limit)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT " MESSAGE_COLUMNS " FROM messages m WHERE m.ticket_id = $1 AND m.id > $2"
                                  " AND (internal = 0 OR $3 = 1) ORDER BY id LIMIT $4",
                                  "iiii", ticket_id, after, (int64_t)role_is_staff(me->role), (int64_t)limit);
    if (!st)
        return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, row_json(st));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}
