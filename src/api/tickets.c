/* /api/v1/tickets: create, list, read, change, conversation, audit trail, bulk, rating, merge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/ai_routes.h"
#include "api/handlers.h"
#include "api/input.h"
#include "app.h"
#include "assist/triage.h"
#include "audit/audit.h"
#include "events/bus.h"
#include "http/errors.h"
#include "tickets/messages.h"
#include "tickets/presence.h"
#include "tickets/ticket_list.h"
#include "tickets/tickets.h"
#include "util/log.h"
#include "util/markdown.h"
#include "util/timeutil.h"

#define BULK_MAX 1000

/* Publishes a ticket event: staff get the ticket, its requester a short notice. */
static void publish_ticket(struct request *r, const char *type, const struct ticket_ref *ref, json_t *ticket)
{
    struct bus_audience to = {.ticket_requester_id = ref->requester_id};
    json_t *brief = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)ref->id, "version", (json_int_t)ref->version);
    bus_publish(r->app->bus, type, &to, ticket ? ticket : brief, brief);
    json_decref(brief);
}

/* Answers with the ticket as the caller may see it (and its ETag). */
static enum err answer_ticket(struct request *r, int status, int64_t id, const char *event, const struct ticket_ref *ref)
{
    enum err e;
    json_t *t = tickets_get(req_db(r), r->me, id, &e);
    if (!t)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    if (event) {
        /* the staff view goes to staff; read it as staff when the caller is a customer */
        struct principal staff_view = *r->me;
        staff_view.role = ROLE_AGENT;
        json_t *full = role_is_staff(r->me->role) ? json_incref(t) : tickets_get(req_db(r), &staff_view, id, &e);
        /* the version as read: the AI may have moved the ticket since ref was filled */
        struct ticket_ref now = *ref;
        now.version = json_integer_value(json_object_get(t, "version"));
        publish_ticket(r, event, &now, full);
        json_decref(full);
    }
    req_add_header(r, "ETag", arena_printf(&r->arena, "\"%lld\"", (long long)json_integer_value(json_object_get(t, "version"))));
    return req_json(r, status, t);
}

/* The precondition of an If-Match header: the ETag ("3", W/"3" or 3) or the ticket's updated_at
 * ("2026-11-25T09:00:00Z", quoted or not); empty when absent or "*". */
static enum err if_match(struct request *r, struct if_match *m)
{
    const char *h = req_header(r, "If-Match");
    *m = (struct if_match){0};
    if (!h || strcmp(h, "*") == 0)
        return ERR_OK;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    size_t len = strlen(h);
    if (len >= 2 && h[0] == '"' && h[len - 1] == '"') {
        h++;
        len -= 2;
    }
    char value[40];
    char *end = value;
    long long v = 0;
    if (len < sizeof value) {
        memcpy(value, h, len);
        value[len] = 0;
        v = strtoll(value, &end, 10);
    }
    if (len < sizeof value && *end == 0 && v > 0)
        m->version = v;
    else if (len >= sizeof value || !time_parse(value, &m->updated_at) || m->updated_at <= 0)
        return req_fail(r, ERR_BAD_REQUEST, "If-Match", "If-Match must carry the ticket's ETag or its updated_at");
    return ERR_OK;
}

/* Reads the changeable members of a ticket body (PATCH and bulk "set"). */
static enum err read_patch(struct request *r, json_t *o, struct ticket_patch *p)
{
    json_t *saved = r->json;
    r->json = o;
    enum err e;
    bool present;
    const char *remind = NULL;
    if ((e = in_string(r, "subject", false, TICKET_SUBJECT_MAX + 1000, &p->subject)) ||
        (e = in_string(r, "status", false, 64, &p->status)) || (e = in_string(r, "priority", false, 64, &p->priority)) ||
        (e = in_array(r, "tags", &p->tags)) || (e = in_string(r, "remind_at", false, 64, &remind)))
        goto done;
    json_t *a = json_object_get(o, "assignee_id"), *t = json_object_get(o, "team_id");
    if ((p->has_assignee = a != NULL) && !json_is_null(a) &&
        ((e = in_int(r, "assignee_id", 1, INT64_MAX, &present, &p->assignee_id))))
        goto done;
    if ((p->has_team = t != NULL) && !json_is_null(t) && ((e = in_int(r, "team_id", 1, INT64_MAX, &present, &p->team_id))))
        goto done;
    json_t *cf = json_object_get(o, "custom_fields");
    if (cf && !json_is_object(cf)) {
        e = req_fail(r, ERR_VALIDATION, "custom_fields", "custom_fields must be an object");
        goto done;
    }
    p->custom_fields = cf;
    p->has_remind = json_object_get(o, "remind_at") != NULL;
    if (remind && !time_parse(remind, &p->remind_at))
        e = req_fail(r, ERR_VALIDATION, "remind_at", "remind_at must be an RFC 3339 time such as 2026-11-25T09:00:00Z");
done:
    r->json = saved;
    return e;
}

/* A ticket to create and its triage: written by db_write's job, which may run on another thread. */
struct create_job {
    const struct principal *me;
    const char *ip;
    const struct ticket_new *in;
    struct assist_verdict *verdict;
    bool auto_routing;
    struct ticket_ref ref;
    enum err e;
    struct failure f;
};

/* The ticket and the AI's triage, one transaction: one commit, one wait for the disk. A failed
 * triage is logged, never the request's: the ticket exists either way. */
static int create_ticket(struct db *db, void *arg)
{
    struct create_job *j = arg;
    if ((j->e = tickets_create(db, j->me, j->ip, j->in, &j->ref, &j->f)))
        return DB_ERROR;
    struct assist_triage_in triage = {.ticket_id = j->ref.id, .priority_given = j->in->priority != NULL,
                                      .auto_routing = j->auto_routing, .language_stored = true};
    struct failure f;
    if (assist_triage_write(db, &triage, j->verdict, &f))
        log_error("ai: triage of ticket %lld: %s", (long long)j->ref.id, f.message);
    return DB_DONE;
}

enum err api_tickets_create(struct request *r)
{
    struct ticket_new in = {0};
    enum err e;
    if ((e = in_string(r, "subject", true, TICKET_SUBJECT_MAX + 1000, &in.subject)) ||
        (e = in_string(r, "body", true, TICKET_BODY_MAX + 1000, &in.body)) ||
        (e = in_string(r, "priority", false, 64, &in.priority)) || (e = in_string(r, "channel", false, 16, &in.channel)) ||
        (e = in_string(r, "requester_email", false, 320, &in.requester_email)) || (e = in_array(r, "tags", &in.tags)))
        return e;
    in.custom_fields = r->json ? json_object_get(r->json, "custom_fields") : NULL;
    if (in.custom_fields && !json_is_object(in.custom_fields))
        return req_fail(r, ERR_VALIDATION, "custom_fields", "custom_fields must be an object");
    in.context = r->json ? json_object_get(r->json, "context") : NULL;
    if (in.context && !json_is_object(in.context))
        return req_fail(r, ERR_VALIDATION, "context", "context must be an object");
    struct db *db = req_db(r);
    /* the AI decides and the Markdown is rendered before the write (CPU only) */
    struct create_job job = {.me = r->me, .ip = r->client_ip, .in = &in,
                             .verdict = assist_triage_decide(r->app->assist, in.subject, in.body),
                             .auto_routing = settings_get(&r->app->settings, db).ai_auto_routing};
    in.language = assist_verdict_language(job.verdict);
    char *html = markdown_to_html(in.body);
    in.body_html = html;
    int rc = db_write(db, create_ticket, &job);
    free(html);
    assist_verdict_free(job.verdict);
    if (job.e)
        return req_failure(r, job.e, &job.f);
    if (rc < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "could not save the ticket: %s", db_errmsg(db));
    /* after the triage, which sets the ticket's language */
    api_ai_first_response(r, job.ref.id);
    return answer_ticket(r, 201, job.ref.id, "ticket.created", &job.ref);
}

/* Reads ?assignee_id= ("me", "none" or an id). */
static enum err assignee_param(struct request *r, struct ticket_filter *flt)
{
    const char *a = req_query(r, "assignee_id");
    if (!a)
        return ERR_OK;
    if (strcmp(a, "none") == 0) {
        flt->assignee_none = true;
        return ERR_OK;
    }
    flt->assignee_set = true;
    if (strcmp(a, "me") == 0) {
        flt->assignee_id = r->me->user_id;
        return ERR_OK;
    }
    char *end;
    flt->assignee_id = strtoll(a, &end, 10);
    if (*end || flt->assignee_id <= 0)
        return req_fail(r, ERR_BAD_REQUEST, "assignee_id", "assignee_id must be an id, me or none");
    return ERR_OK;
}

static enum err id_param(struct request *r, const char *key, int64_t *out)
{
    const char *v = req_query(r, key);
    *out = 0;
    if (!v)
        return ERR_OK;
    char *end;
    *out = strtoll(v, &end, 10);
    if (*end || *out <= 0)
        return req_fail(r, ERR_BAD_REQUEST, key, "%s must be an id", key);
    return ERR_OK;
}

enum err api_tickets_list(struct request *r)
{
    struct ticket_filter flt = {.status = req_query(r, "status"), .priority = req_query(r, "priority"),
                                .tag = req_query(r, "tag"), .q = req_query(r, "q"), .sort = req_query(r, "sort"),
                                .cursor = req_query(r, "cursor")};
    const char *l = req_query(r, "limit");
    flt.limit = l ? atoi(l) : 50;
    if (flt.limit < 1 || flt.limit > 200)
        return req_fail(r, ERR_BAD_REQUEST, "limit", "limit must be a whole number from 1 to 200");
    enum err e;
    if ((e = assignee_param(r, &flt)) || (e = id_param(r, "team_id", &flt.team_id)) ||
        (e = id_param(r, "requester_id", &flt.requester_id)))
        return e;
    const char *open = req_query(r, "open"), *due = req_query(r, "reminder_due");
    flt.open_only = open && strcmp(open, "true") == 0;
    flt.reminder_due = due && strcmp(due, "true") == 0;
    struct failure f;
    char *next = NULL;
    json_t *items = tickets_list(req_db(r), r->me, &flt, &next, &f);
    if (!items)
        return req_failure(r, f.message[0] ? (f.field[0] ? ERR_BAD_REQUEST : ERR_INTERNAL) : ERR_INTERNAL, &f);
    json_t *out = json_pack("{s:o, s:o}", "items", items, "next_cursor", next ? json_string(next) : json_null());
    free(next);
    return req_json(r, 200, out);
}

enum err api_tickets_get(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    json_t *t = tickets_get(req_db(r), r->me, id, &e);
    if (!t)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    if (role_is_staff(r->me->role)) {
        int64_t now = time_now();
        json_object_set_new(t, "viewers", presence_viewers(r->app->presence, id, r->me->user_id, now));
        presence_seen(r->app->presence, id, r->me->user_id, r->me->name, now);
    }
    req_add_header(r, "ETag", arena_printf(&r->arena, "\"%lld\"", (long long)json_integer_value(json_object_get(t, "version"))));
    return req_json(r, 200, t);
}

enum err api_tickets_update(struct request *r)
{
    int64_t id;
    struct ticket_patch p = {0};
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = if_match(r, &p.if_match)))
        return e;
    if (!r->json)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "send a JSON object of the fields to change");
    if ((e = read_patch(r, r->json, &p)))
        return e;
    struct failure f;
    struct ticket_ref ref;
    if ((e = tickets_update(req_db(r), r->me, r->client_ip, id, &p, &ref, &f)))
        return req_failure(r, e, &f);
    return answer_ticket(r, 200, id, "ticket.updated", &ref);
}

enum err api_messages_create(struct request *r)
{
    int64_t id, msg_id;
    struct if_match cond;
    const char *body, *status;
    bool internal = false, present;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = if_match(r, &cond)) ||
        (e = in_string(r, "body", true, TICKET_BODY_MAX + 1000, &body)) ||
        (e = in_string(r, "status", false, 64, &status)) || (e = in_bool(r, "internal", &present, &internal)))
        return e;
    struct failure f;
    struct ticket_ref ref = {0};
    if ((e = messages_add(req_db(r), r->me, r->client_ip, id, body, internal, status, &cond, &msg_id, &ref, &f)))
        return req_failure(r, e, &f);
    json_t *m = messages_get(req_db(r), msg_id);
    if (!m)
        return req_fail(r, ERR_INTERNAL, NULL, "the message was saved but cannot be read");
    struct bus_audience to = {.ticket_requester_id = ref.requester_id, .staff_only = internal};
    bus_publish(r->app->bus, "message.created", &to, m, NULL);
    publish_ticket(r, "ticket.updated", &ref, NULL);
    return req_json(r, 201, m);
}

enum err api_messages_list(struct request *r)
{
    int64_t id, cursor;
    int limit;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_page(r, &limit, &cursor)))
        return e;
    if ((e = tickets_access(req_db(r), r->me, id, NULL)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    json_t *items = messages_list(req_db(r), r->me, id, cursor, limit);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list messages");
    return out_page(r, items, limit);
}

enum err api_ticket_events(struct request *r)
{
    int64_t id, cursor;
    enum err e;
    struct audit_filter flt = {.target_type = "ticket"};
    if ((e = in_path_id(r, 0, &id)) || (e = in_page(r, &flt.limit, &cursor)))
        return e;
    if ((e = tickets_access(req_db(r), r->me, id, NULL)))
        return req_fail(r, e, NULL, "no such ticket");
    flt.target_id = id;
    flt.before_id = cursor;
    json_t *items = audit_list(req_db(r), &flt);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not read the audit trail");
    return out_page(r, items, flt.limit);
}

/* Checks one part of a bulk "set" before any ticket is touched; a failure names set.<field>
 * (set.<rename> when given). */
static enum err check_set(struct request *r, const struct ticket_patch *p, const char *rename)
{
    struct failure f;
    enum err e = tickets_check_patch(req_db(r), p, &f);
    if (!e)
        return ERR_OK;
    const char *field = rename ? rename : f.field;
    return req_fail(r, e, *field ? arena_printf(&r->arena, "set.%s", field) : NULL, "%s", f.message);
}

enum err api_tickets_bulk(struct request *r)
{
    json_t *ids = r->json ? json_object_get(r->json, "ids") : NULL, *set = r->json ? json_object_get(r->json, "set") : NULL;
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > BULK_MAX)
        return req_fail(r, ERR_VALIDATION, "ids", "ids must be a list of 1 to %d ticket ids", BULK_MAX);
    if (!json_is_object(set))
        return req_fail(r, ERR_VALIDATION, "set", "set must be an object of the changes");
    struct ticket_patch p = {0};
    enum err e = read_patch(r, set, &p);
    if (e) {
        if (r->err_field)
            r->err_field = arena_printf(&r->arena, "set.%s", r->err_field);
        return e;
    }
    json_t *add = json_object_get(set, "add_tags"), *remove = json_object_get(set, "remove_tags");
    if ((add && !json_is_array(add)) || (remove && !json_is_array(remove)))
        return req_fail(r, ERR_VALIDATION, add && !json_is_array(add) ? "set.add_tags" : "set.remove_tags",
                        "add_tags and remove_tags must be lists of tags");
    struct db *db = req_db(r);
    /* what does not depend on the ticket is checked once: a bad value fails the whole request */
    struct ticket_patch add_only = {.tags = add}, remove_only = {.tags = remove};
    if ((e = check_set(r, &p, NULL)) || (e = check_set(r, &add_only, "add_tags")) ||
        (e = check_set(r, &remove_only, "remove_tags")))
        return e;
    if (db_begin(db) < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    json_t *results = json_array(), *changed = json_array(), *none = json_array();
    if (!add)
        add = none;
    if (!remove)
        remove = none;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        int64_t id = json_integer_value(v);
        struct failure f = {0};
        struct ticket_patch one = p;
        json_t *tags = NULL;
        if (!json_is_integer(v) || id <= 0) {
            fail(&f, ERR_NOT_FOUND, NULL, "no such ticket");
            e = ERR_NOT_FOUND;
        } else if ((json_array_size(add) || json_array_size(remove)) && !p.tags) {
            /* the ticket's own tags plus add_tags minus remove_tags */
            json_t *t = tickets_get(db, r->me, id, &e);
            if (t) {
                tags = json_deep_copy(json_object_get(t, "tags"));
                json_array_extend(tags, add);
                size_t k;
                json_t *rm;
                json_array_foreach(remove, k, rm) {
                    for (size_t j = json_array_size(tags); j-- > 0;)
                        if (json_is_string(rm) &&
                            strcasecmp(json_string_value(json_array_get(tags, j)), json_string_value(rm)) == 0)
                            json_array_remove(tags, j);
                }
                one.tags = tags;
                json_decref(t);
            } else {
                fail(&f, e, NULL, "no such ticket");
            }
        }
        struct ticket_ref ref;
        if (!f.message[0])
            e = tickets_apply(db, r->me, r->client_ip, id, &one, &ref, &f);
        json_decref(tags);
        if (e == ERR_INTERNAL) {
            /* the database failed: nothing of the batch is kept */
            db_rollback(db);
            json_decref(results);
            json_decref(changed);
            json_decref(none);
            return req_fail(r, ERR_INTERNAL, NULL, "%s", f.message);
        }
        json_t *res = json_pack("{s:O, s:i}", "id", v, "status", e ? err_status(e) : 200);
        if (e)
            json_object_set_new(res, "error", json_pack("{s:s, s:s}", "code", err_code(e), "message", f.message));
        else
            json_array_append_new(changed, json_pack("[I, I, I]", (json_int_t)ref.id, (json_int_t)ref.requester_id,
                                                     (json_int_t)ref.version));
        json_array_append_new(results, res);
    }
    json_decref(none);
    if (db_commit(db) < 0) {
        db_rollback(db);
        json_decref(results);
        json_decref(changed);
        return req_fail(r, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    }
    json_array_foreach(changed, i, v) {
        struct ticket_ref ref = {.id = json_integer_value(json_array_get(v, 0)),
                                 .requester_id = json_integer_value(json_array_get(v, 1)),
                                 .version = json_integer_value(json_array_get(v, 2))};
        publish_ticket(r, "ticket.updated", &ref, NULL);
    }
    json_decref(changed);
    return req_json(r, 200, json_pack("{s:o}", "results", results));
}
