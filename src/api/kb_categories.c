/* /api/v1/kb/categories: the category tree. */
#include "api/input.h"
#include "api/kb_handlers.h"
#include "kb/categories.h"

/* Reads {name, description, parent_id (null: top), position}. */
static enum err read_category(struct request *r, bool create, struct kb_category_in *in)
{
    enum err e;
    if (!json_is_object(r->json))
        return req_fail(r, ERR_BAD_REQUEST, NULL, "send a JSON object of the category's fields");
    json_t *parent = json_object_get(r->json, "parent_id");
    bool present;
    if ((e = in_string(r, "name", create, KB_CATEGORY_NAME_MAX, &in->name)) ||
        (e = in_string(r, "description", false, KB_CATEGORY_DESCRIPTION_MAX, &in->description)) ||
        (e = in_int(r, "position", INT32_MIN, INT32_MAX, &in->has_position, &in->position)))
        return e;
    in->has_parent = parent != NULL;
    if (parent && !json_is_null(parent) && (e = in_int(r, "parent_id", 1, INT64_MAX, &present, &in->parent_id)))
        return e;
    return ERR_OK;
}

/* Answers with category id. */
static enum err answer(struct request *r, int status, int64_t id)
{
    enum err e;
    json_t *c = kb_category_get(req_db(r), id, &e);
    if (!c)
        return req_fail(r, ERR_INTERNAL, NULL, "the category was saved but cannot be read");
    return req_json(r, status, c);
}

enum err api_kb_categories_list(struct request *r)
{
    json_t *items = kb_category_list(req_db(r));
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list categories");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_kb_categories_create(struct request *r)
{
    struct kb_category_in in = {0};
    struct failure f;
    int64_t id;
    enum err e = read_category(r, true, &in);
    if (e)
        return e;
    struct actor by = req_actor(r);
    if ((e = kb_category_create(req_db(r), &by, &in, &id, &f)))
        return req_failure(r, e, &f);
    return answer(r, 201, id);
}

enum err api_kb_categories_update(struct request *r)
{
    struct kb_category_in in = {0};
    struct failure f;
    int64_t id;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = read_category(r, false, &in)))
        return e;
    struct actor by = req_actor(r);
    if ((e = kb_category_update(req_db(r), &by, id, &in, &f)))
        return req_failure(r, e, &f);
    return answer(r, 200, id);
}

enum err api_kb_categories_delete(struct request *r)
{
    struct failure f;
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    struct actor by = req_actor(r);
    if ((e = kb_category_delete(req_db(r), &by, id, &f)))
        return req_failure(r, e, &f);
    return req_empty(r, 204);
}
