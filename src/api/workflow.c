/* Statuses, transitions, priorities and custom fields: read by every signed-in user (forms
 * need them), changed by admins. */
#include "api/handlers.h"
#include "api/input.h"
#include "fields/fields.h"
#include "users/principal.h"
#include "tickets/workflow.h"

enum err api_statuses_list(struct request *r)
{
    json_t *items = workflow_statuses(req_db(r));
    return items ? req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"))
                 : req_fail(r, ERR_INTERNAL, NULL, "could not list statuses");
}

enum err api_priorities_list(struct request *r)
{
    json_t *items = workflow_priorities(req_db(r));
    return items ? req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"))
                 : req_fail(r, ERR_INTERNAL, NULL, "could not list priorities");
}

enum err api_statuses_create(struct request *r)
{
    const char *key, *label, *category;
    enum err e;
    if ((e = in_string(r, "key", true, 100, &key)) || (e = in_string(r, "label", true, 200, &label)) ||
        (e = in_string(r, "category", true, 32, &category)))
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = workflow_add_status(req_db(r), &by, key, label, category, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, json_pack("{s:s, s:s, s:s}", "key", key, "label", label, "category", category));
}

enum err api_statuses_transitions(struct request *r)
{
    json_t *to;
    enum err e = in_array(r, "to", &to);
    if (e)
        return e;
    if (!to)
        return req_fail(r, ERR_VALIDATION, "to", "to is required: the statuses a ticket may move to ([] allows all)");
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = workflow_set_transitions(req_db(r), &by, r->params[0], to, &f)))
        return req_failure(r, e, &f);
    return api_statuses_list(r);
}

enum err api_priorities_create(struct request *r)
{
    const char *key, *label;
    enum err e;
    if ((e = in_string(r, "key", true, 100, &key)) || (e = in_string(r, "label", true, 200, &label)))
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = workflow_add_priority(req_db(r), &by, key, label, &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, json_pack("{s:s, s:s}", "key", key, "label", label));
}

enum err api_fields_list(struct request *r)
{
    json_t *items = fields_list(req_db(r));
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list fields");
    if (!role_is_staff(r->me->role)) {
        /* customers see only the fields shown to them */
        for (size_t i = json_array_size(items); i-- > 0;)
            if (!json_is_true(json_object_get(json_array_get(items, i), "customer_visible")))
                json_array_remove(items, i);
    }
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static enum err answer_field(struct request *r, int status, int64_t id)
{
    enum err e;
    json_t *field = fields_get(req_db(r), id, &e);
    return field ? req_json(r, status, field) : req_fail(r, e, NULL, "no such field");
}

enum err api_fields_create(struct request *r)
{
    if (!r->json)
        return req_fail(r, ERR_VALIDATION, "key", "key, label and type are required");
    struct failure f;
    struct actor by = req_actor(r);
    int64_t id;
    enum err e = fields_create(req_db(r), &by, r->json, &id, &f);
    return e ? req_failure(r, e, &f) : answer_field(r, 201, id);
}

enum err api_fields_update(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    if (!r->json)
        return req_fail(r, ERR_BAD_REQUEST, NULL, "send a JSON object of the changes");
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = fields_update(req_db(r), &by, id, r->json, &f)))
        return req_failure(r, e, &f);
    return answer_field(r, 200, id);
}

enum err api_fields_delete(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    struct actor by = req_actor(r);
    if ((e = fields_delete(req_db(r), &by, id)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such field" : "could not delete the field");
    return req_empty(r, 204);
}
