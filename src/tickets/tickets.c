#include "tickets/tickets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "fields/fields.h"
#include "tickets/messages.h"
#include "tickets/workflow.h"
#include "users/customers.h"
#include "util/tags.h"
#include "util/timeutil.h"

static int audit_ticket(struct db *db, const struct principal *me, const char *ip, const char *action, int64_t id,
                        const char *field, const char *old_value, const char *new_value)
{
    struct audit_entry e = {.actor_kind = me ? "user" : "system", .actor_id = me ? me->user_id : 0,
                            .action = action, .target_type = "ticket", .target_id = id, .field = field,
                            .old_value = old_value, .new_value = new_value, .ip = ip};
    return audit_append(db, &e);
}

/* Writes a ticket's tags: replace drops those it had first (a new ticket has none). */
static int write_tags(struct db *db, int64_t id, json_t *tags, bool replace)
{
    int rc = replace ? db_run(db, "DELETE FROM ticket_tags WHERE ticket_id = $1", "i", id) : DB_DONE;
    size_t i;
    json_t *v;
    json_array_foreach(tags, i, v) {
        if (rc >= 0)
            rc = db_run(db, "INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)", "it", id, json_string_value(v));
    }
    return rc;
}

/* ERR_OK when user_id is an active staff member; 422 naming field otherwise. */
static enum err check_staff(struct db *db, int64_t user_id, const char *field, struct failure *f)
{
    struct db_stmt *st = db_query(db, "SELECT role, active FROM users WHERE id = $1", "i", user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    bool ok = rc == DB_ROW && strcmp(db_col_text(st, 0), "customer") != 0 && db_col_int(st, 1);
    db_finalize(st);
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    return ok ? ERR_OK : fail(f, ERR_VALIDATION, field, "%s must be an active agent, supervisor or admin", field);
}

static enum err check_team(struct db *db, int64_t team_id, struct failure *f)
{
    struct db_stmt *st = db_query(db, "SELECT 1 FROM teams WHERE id = $1", "i", team_id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    return rc == DB_ROW ? ERR_OK : fail(f, ERR_VALIDATION, "team_id", "team_id must be an existing team");
}

static enum err check_subject(const char *subject, struct failure *f)
{
    size_t len = strlen(subject);
    bool blank = true;
    for (size_t i = 0; i < len && blank; i++)
        blank = isspace((unsigned char)subject[i]) != 0;
    if (blank)
        return fail(f, ERR_VALIDATION, "subject", "subject must not be empty");
    if (len > TICKET_SUBJECT_MAX)
        return fail(f, ERR_VALIDATION, "subject", "subject must have at most %d characters", TICKET_SUBJECT_MAX);
    return ERR_OK;
}

enum err tickets_create(struct db *db, const struct principal *me, const char *ip, const struct ticket_new *in,
                        struct ticket_ref *ref, struct failure *f)
{
    bool staff = role_is_staff(me->role);
    enum err e;
    json_t *tags = NULL, *custom = json_object();
    char *tags_text = NULL, *custom_text = NULL, *context_text = NULL;
    int rc = DB_DONE;
    const char *priority = in->priority ? in->priority : "normal";
    const char *channel = in->channel ? in->channel : staff ? "api" : "web";
    if (!in->subject)
        e = fail(f, ERR_VALIDATION, "subject", "subject is required");
    else
        e = check_subject(in->subject, f);
    if (!e && (!in->body || !*in->body))
        e = fail(f, ERR_VALIDATION, "body", "body is required");
    if (!e && strlen(in->body) > TICKET_BODY_MAX)
        e = fail(f, ERR_VALIDATION, "body", "body must have at most %d characters", TICKET_BODY_MAX);
    if (!e && in->requester_email && !staff)
        e = fail(f, ERR_VALIDATION, "requester_email", "only staff can open a ticket for someone else");
    if (!e && strcmp(channel, "web") && strcmp(channel, "email") && strcmp(channel, "chat") && strcmp(channel, "api"))
        e = fail(f, ERR_VALIDATION, "channel", "channel must be one of web, email, chat, api");
    if (!e && in->tags)
        e = tags_normalize(in->tags, TICKET_TAGS_MAX, TICKET_TAG_MAX, "tags", &tags, f);
    if (e)
        goto done;
    if ((rc = db_begin(db)) < 0)
        goto done;
    int64_t requester = me->user_id;
    struct actor by = {.user_id = me->user_id, .ip = ip};
    enum role requester_role = me->role;
    if ((in->requester_email &&
         (e = customers_find_or_create(db, &by, in->requester_email, &requester, &requester_role, f))) ||
        (e = workflow_check_priority(db, priority, f)) ||
        (e = fields_apply(db, custom, in->custom_fields, !staff, true, f)))
        goto done;
    tags_text = tags ? json_dumps(tags, JSON_COMPACT) : strdup("[]");
    custom_text = json_dumps(custom, JSON_COMPACT);
    context_text = in->context ? json_dumps(in->context, JSON_COMPACT) : NULL;
    int64_t now = time_now();
    rc = db_insert(db, &ref->id,
                   "INSERT INTO tickets (subject, status, priority, channel, requester_id, tags, custom_fields,"
                   " context, language, created_at, updated_at) VALUES ($1, 'new', $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                   "tttitttti", in->subject, priority, channel, requester, tags_text, custom_text, context_text,
                   in->language, now);
    if (rc < 0)
        goto done;
    ref->requester_id = requester;
    ref->assignee_id = 0;
    ref->version = 1;
    /* the first message is the requester's own words, even when staff typed them in */
    struct principal author = *me;
    author.user_id = requester;
    author.role = requester_role;
    int64_t msg_id;
    if ((tags && (rc = write_tags(db, ref->id, tags, false)) < 0) ||
        (rc = audit_ticket(db, me, ip, "ticket.create", ref->id, "subject", NULL, in->subject)) < 0 ||
        (e = messages_insert(db, &author, ref->id,
                              &(struct message_new){.body = in->body, .body_html = in->body_html, .channel = channel,
                                                    .language = in->language},
                              &msg_id, f)))
        goto done;
    rc = db_commit(db);
done:
    json_decref(tags);
    json_decref(custom);
    free(tags_text);
    free(custom_text);
    free(context_text);
    if (e || rc < 0) {
        db_rollback(db);
        return e ? e : fail(f, ERR_INTERNAL, NULL, "could not save the ticket: %s", db_errmsg(db));
    }
    return ERR_OK;
}

enum err tickets_check_patch(struct db *db, const struct ticket_patch *p, struct failure *f)
{
    char category[16];
    json_t *tags = NULL, *scratch = json_object();
    enum err e = ERR_OK;
    if (p->subject)
        e = check_subject(p->subject, f);
    if (!e && p->status)
        e = workflow_status_category(db, p->status, category, f);
    if (!e && p->priority)
        e = workflow_check_priority(db, p->priority, f);
    if (!e && p->has_assignee && p->assignee_id)
        e = check_staff(db, p->assignee_id, "assignee_id", f);
    if (!e && p->has_team && p->team_id)
        e = check_team(db, p->team_id, f);
    if (!e && p->tags)
        e = tags_normalize(p->tags, TICKET_TAGS_MAX, TICKET_TAG_MAX, "tags", &tags, f);
    if (!e && p->custom_fields)
        e = fields_apply(db, scratch, p->custom_fields, false, false, f);
    json_decref(tags);
    json_decref(scratch);
    return e;
}

/* The current state of a ticket, read inside a transaction. */
struct current {
    char status[WORKFLOW_KEY_MAX + 1], priority[WORKFLOW_KEY_MAX + 1];
    char *subject, *tags, *custom;
    int64_t requester_id, assignee_id, team_id, version, remind_at, solved_at, updated_at;
};

static void free_current(struct current *c)
{
    free(c->subject);
    free(c->tags);
    free(c->custom);
}

static int read_current(struct db *db, int64_t id, struct current *c)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT status, priority, subject, tags, custom_fields, requester_id, assignee_id,"
                                  " team_id, version, remind_at, solved_at, updated_at FROM tickets WHERE id = $1",
                                  "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        snprintf(c->status, sizeof c->status, "%s", db_col_text(st, 0));
        snprintf(c->priority, sizeof c->priority, "%s", db_col_text(st, 1));
        c->subject = strdup(db_col_text(st, 2));
        c->tags = strdup(db_col_text(st, 3));
        c->custom = strdup(db_col_text(st, 4));
        c->requester_id = db_col_int(st, 5);
        c->assignee_id = db_col_int(st, 6);
        c->team_id = db_col_int(st, 7);
        c->version = db_col_int(st, 8);
        c->remind_at = db_col_int(st, 9);
        c->solved_at = db_col_int(st, 10);
        c->updated_at = db_col_int(st, 11);
    }
    db_finalize(st);
    return rc;
}

static char *id_text(int64_t v, char buf[24])
{
    if (!v)
        return NULL;
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

/* Customers may change the status (to solve or reopen their ticket), their editable fields and
 * nothing else. */
static enum err customer_may(const struct ticket_patch *p, struct failure *f)
{
    if (p->subject)
        return fail(f, ERR_VALIDATION, "subject", "customers cannot change subject");
    if (p->priority)
        return fail(f, ERR_VALIDATION, "priority", "customers cannot change priority");
    if (p->has_assignee)
        return fail(f, ERR_VALIDATION, "assignee_id", "customers cannot change assignee_id");
    if (p->has_team)
        return fail(f, ERR_VALIDATION, "team_id", "customers cannot change team_id");
    if (p->tags)
        return fail(f, ERR_VALIDATION, "tags", "customers cannot change tags");
    if (p->has_remind)
        return fail(f, ERR_VALIDATION, "remind_at", "customers cannot set reminders");
    return ERR_OK;
}

/* Applies one changed column and its audit event; counts it in *changes. */
static int change(struct db *db, const struct principal *me, const char *ip, int *changes, int64_t id,
                  const char *column, const char *old_value, const char *new_value, bool is_int)
{
    (*changes)++;
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE tickets SET %s = $1 WHERE id = $2", column);
    struct db_stmt *st = db_prepare(db, sql);
    if (!st)
        return DB_ERROR;
    if (!new_value)
        db_bind_null(st, 1);
    else if (is_int)
        db_bind_int(st, 1, strtoll(new_value, NULL, 10));
    else
        db_bind_text(st, 1, new_value);
    db_bind_int(st, 2, id);
    int rc = db_step(st);
    db_finalize(st);
    if (rc < 0)
        return rc;
    return audit_ticket(db, me, ip, "ticket.update", id, column, old_value, new_value);
}

enum err tickets_apply(struct db *db, const struct principal *me, const char *ip, int64_t id,
                       const struct ticket_patch *p, struct ticket_ref *ref, struct failure *f)
{
    struct current c = {0};
    int changes = 0;
    bool staff = role_is_staff(me->role);
    enum err e = ERR_OK;
    json_t *tags = NULL, *custom = NULL;
    char *tags_text = NULL, *custom_text = NULL;
    int rc = read_current(db, id, &c);
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    if (rc == DB_DONE || (!staff && c.requester_id != me->user_id)) {
        free_current(&c);
        return fail(f, ERR_NOT_FOUND, NULL, "no such ticket");
    }
    rc = DB_DONE;
    if ((e = tickets_check_match(&p->if_match, c.version, c.updated_at, f)))
        goto done;
    if (!staff && (e = customer_may(p, f)))
        goto done;
    char category[16] = "", idbuf[2][24];
    if (p->subject && (e = check_subject(p->subject, f)))
        goto done;
    if (p->status && ((e = workflow_status_category(db, p->status, category, f)) ||
                      (e = workflow_check_transition(db, c.status, p->status, f))))
        goto done;
    if (p->status && !staff && strcmp(category, "solved") && strcmp(category, "open") && strcmp(p->status, c.status)) {
        e = fail(f, ERR_VALIDATION, "status", "customers can only mark their ticket solved or reopen it");
        goto done;
    }
    if (p->priority && (e = workflow_check_priority(db, p->priority, f)))
        goto done;
    if (p->has_assignee && p->assignee_id && (e = check_staff(db, p->assignee_id, "assignee_id", f)))
        goto done;
    if (p->has_team && p->team_id && (e = check_team(db, p->team_id, f)))
        goto done;
    if (p->tags && (e = tags_normalize(p->tags, TICKET_TAGS_MAX, TICKET_TAG_MAX, "tags", &tags, f)))
        goto done;
    if (p->custom_fields) {
        custom = json_loads(c.custom, 0, NULL);
        if (!custom)
            custom = json_object();
        if ((e = fields_apply(db, custom, p->custom_fields, !staff, false, f)))
            goto done;
        custom_text = json_dumps(custom, JSON_COMPACT);
    }
    if (p->subject && strcmp(p->subject, c.subject) != 0 &&
        (rc = change(db, me, ip, &changes, id, "subject", c.subject, p->subject, false)) < 0)
        goto done;
    if (p->status && strcmp(p->status, c.status) != 0) {
        if ((rc = change(db, me, ip, &changes, id, "status", c.status, p->status, false)) < 0)
            goto done;
        bool solved = strcmp(category, "solved") == 0 || strcmp(category, "closed") == 0;
        rc = solved ? db_run(db, "UPDATE tickets SET solved_at = $1 WHERE id = $2 AND solved_at IS NULL", "ii",
                             time_now(), id)
                    : db_run(db, "UPDATE tickets SET solved_at = NULL WHERE id = $1", "i", id);
        if (rc < 0)
            goto done;
    }
    if (p->priority && strcmp(p->priority, c.priority) != 0 &&
        (rc = change(db, me, ip, &changes, id, "priority", c.priority, p->priority, false)) < 0)
        goto done;
    if (p->has_assignee && p->assignee_id != c.assignee_id &&
        (rc = change(db, me, ip, &changes, id, "assignee_id", id_text(c.assignee_id, idbuf[0]),
                     id_text(p->assignee_id, idbuf[1]), true)) < 0)
        goto done;
    if (p->has_team && p->team_id != c.team_id &&
        (rc = change(db, me, ip, &changes, id, "team_id", id_text(c.team_id, idbuf[0]), id_text(p->team_id, idbuf[1]), true)) < 0)
        goto done;
    if (tags) {
        tags_text = json_dumps(tags, JSON_COMPACT);
        if (strcmp(tags_text, c.tags) != 0 &&
            ((rc = change(db, me, ip, &changes, id, "tags", c.tags, tags_text, false)) < 0 || (rc = write_tags(db, id, tags, true)) < 0))
            goto done;
    }
    if (custom_text && strcmp(custom_text, c.custom) != 0 &&
        (rc = change(db, me, ip, &changes, id, "custom_fields", c.custom, custom_text, false)) < 0)
        goto done;
    if (p->has_remind && p->remind_at != c.remind_at) {
        char old_at[21], new_at[21];
        /* stored as epoch seconds (a new time is announced again); the audit event shows it readable */
        rc = p->remind_at ? db_run(db, "UPDATE tickets SET remind_at = $1, reminder_sent = 0 WHERE id = $2", "ii",
                                   p->remind_at, id)
                          : db_run(db, "UPDATE tickets SET remind_at = NULL WHERE id = $1", "i", id);
        changes++;
        if (rc < 0 || (rc = audit_ticket(db, me, ip, "ticket.update", id, "remind_at",
                                         c.remind_at ? time_format(c.remind_at, old_at) : NULL,
                                         p->remind_at ? time_format(p->remind_at, new_at) : NULL)) < 0)
            goto done;
    }
    /* a change that changes nothing keeps the version, so it causes no collision */
    rc = changes ? tickets_touch(db, id) : DB_DONE;
    if (ref) {
        ref->id = id;
        ref->requester_id = c.requester_id;
        ref->assignee_id = p->has_assignee ? p->assignee_id : c.assignee_id;
        ref->version = c.version + (changes ? 1 : 0);
    }
done:
    free_current(&c);
    json_decref(tags);
    json_decref(custom);
    free(tags_text);
    free(custom_text);
    if (!e && rc < 0)
        e = fail(f, ERR_INTERNAL, NULL, "could not save the ticket: %s", db_errmsg(db));
    return e;
}

enum err tickets_check_match(const struct if_match *m, int64_t version, int64_t updated_at, struct failure *f)
{
    char seen[21], now[21];
    if (m->version > 0 && m->version != version)
        return fail(f, ERR_CONFLICT, NULL, "the ticket changed since you loaded it (version %lld, now %lld); reload it",
                    (long long)m->version, (long long)version);
    if (m->updated_at > 0 && m->updated_at != updated_at)
        return fail(f, ERR_CONFLICT, NULL, "the ticket changed since you loaded it (updated %s, now %s); reload it",
                    time_format(m->updated_at, seen), time_format(updated_at, now));
    return ERR_OK;
}

enum err tickets_update(struct db *db, const struct principal *me, const char *ip, int64_t id,
                        const struct ticket_patch *p, struct ticket_ref *ref, struct failure *f)
{
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_apply(db, me, ip, id, p, ref, f);
    if (!e && db_commit(db) < 0)
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    if (e)
        db_rollback(db);
    return e;
}

int tickets_touch(struct db *db, int64_t id)
{
    return db_run(db, "UPDATE tickets SET updated_at = $1, version = version + 1 WHERE id = $2", "ii", time_now(), id);
}

enum err tickets_access(struct db *db, const struct principal *me, int64_t id, struct ticket_ref *ref)
{
    struct db_stmt *st =
        db_query(db, "SELECT requester_id, assignee_id, version, updated_at FROM tickets WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    bool visible = rc == DB_ROW && (role_is_staff(me->role) || db_col_int(st, 0) == me->user_id);
    if (visible && ref) {
        ref->id = id;
        ref->requester_id = db_col_int(st, 0);
        ref->assignee_id = db_col_int(st, 1);
        ref->version = db_col_int(st, 2);
        ref->updated_at = db_col_int(st, 3);
    }
    db_finalize(st);
    return rc < 0 ? ERR_INTERNAL : visible ? ERR_OK : ERR_NOT_FOUND;
}

static json_t *time_or_null(struct db_stmt *st, int col)
{
    char buf[21];
    return db_col_null(st, col) ? json_null() : json_string(time_format(db_col_int(st, col), buf));
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

json_t *tickets_row_json(struct db_stmt *st, bool staff)
{
    json_t *tags = json_loads(db_col_text(st, 8), 0, NULL), *custom = json_loads(db_col_text(st, 9), 0, NULL);
    json_t *t = json_object();
    json_object_set_new(t, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(t, "number", json_integer(db_col_int(st, 0)));
    json_object_set_new(t, "subject", json_string(db_col_text(st, 1)));
    json_object_set_new(t, "status", json_string(db_col_text(st, 2)));
    json_object_set_new(t, "priority", json_string(db_col_text(st, 3)));
    json_object_set_new(t, "channel", json_string(db_col_text(st, 4)));
    json_object_set_new(t, "requester_id", json_integer(db_col_int(st, 5)));
    json_object_set_new(t, "assignee_id", int_or_null(st, 6));
    json_object_set_new(t, "team_id", int_or_null(st, 7));
    json_object_set_new(t, "tags", tags ? tags : json_array());
    json_object_set_new(t, "custom_fields", custom ? custom : json_object());
    json_object_set_new(t, "language", text_or_null(st, 10));
    json_object_set_new(t, "category", text_or_null(st, 11));
    json_object_set_new(t, "version", json_integer(db_col_int(st, 12)));
    json_object_set_new(t, "created_at", time_or_null(st, 13));
    json_object_set_new(t, "updated_at", time_or_null(st, 14));
    json_object_set_new(t, "first_response_at", time_or_null(st, 15));
    json_object_set_new(t, "solved_at", time_or_null(st, 16));
    json_object_set_new(t, "merged_into", int_or_null(st, 18));
    /* names so that people are not shown as numbers; the requester's email to staff only */
    json_object_set_new(t, "requester", json_pack("{s:I, s:o}", "id", (json_int_t)db_col_int(st, 5), "name",
                                                  text_or_null(st, 20)));
    json_object_set_new(t, "assignee_name", text_or_null(st, 22));
    if (staff) {
        json_object_set_new(json_object_get(t, "requester"), "email", text_or_null(st, 21));
        json_object_set_new(t, "remind_at", time_or_null(st, 17));
        json_t *context = db_col_null(st, 19) ? NULL : json_loads(db_col_text(st, 19), 0, NULL);
        json_object_set_new(t, "context", context ? context : json_null());
    }
    return t;
}

json_t *tickets_get(struct db *db, const struct principal *me, int64_t id, enum err *e)
{
    bool staff = role_is_staff(me->role);
    struct db_stmt *st = db_query(db, "SELECT " TICKET_COLUMNS " FROM tickets t WHERE t.id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *t = NULL;
    if (rc == DB_ROW && (staff || db_col_int(st, 5) == me->user_id))
        t = tickets_row_json(st, staff);
    db_finalize(st);
    *e = rc < 0 ? ERR_INTERNAL : t ? ERR_OK : ERR_NOT_FOUND;
    if (!t)
        return NULL;
    if (!staff) {
        json_t *visible = fields_visible(db, json_object_get(t, "custom_fields"));
        json_object_set_new(t, "custom_fields", visible);
    }
    st = db_query(db, "SELECT score, comment, created_at FROM ratings WHERE ticket_id = $1", "i", id);
    if (st && db_step(st) == DB_ROW)
        json_object_set_new(t, "rating", json_pack("{s:I, s:o, s:o}", "score", (json_int_t)db_col_int(st, 0),
                                                   "comment", text_or_null(st, 1), "created_at", time_or_null(st, 2)));
    else
        json_object_set_new(t, "rating", json_null());
    db_finalize(st);
    return t;
}
