/* /api/v1/users: account management by admins. */
#include "api/handlers.h"
#include "api/input.h"
#include "users/principal.h"

/* Reads the fields of a user body shared by create and update. */
static enum err read_input(struct request *r, struct user_input *in, bool creating)
{
    enum err e;
    const char *role = NULL;
    bool present;
    if ((e = in_string(r, "email", creating, USER_EMAIL_MAX + 64, &in->email)) ||
        (e = in_string(r, "name", creating, USER_NAME_MAX, &in->name)) ||
        (e = in_string(r, "password", creating, PASSWORD_MAX, &in->password)) ||
        (e = in_string(r, "role", false, 32, &role)) || (e = in_array(r, "skills", &in->skills)) ||
        (e = in_array(r, "team_ids", &in->team_ids)) || (e = in_bool(r, "active", &present, &in->active)))
        return e;
    in->has_active = present;
    if (role && !role_parse(role, &in->role))
        return req_fail(r, ERR_VALIDATION, "role", "role must be one of customer, agent, supervisor, admin");
    in->has_role = role != NULL;
    return ERR_OK;
}

static enum err answer_user(struct request *r, int status, int64_t id)
{
    struct db *db = req_db(r);
    struct user u;
    enum err e = users_get(db, &r->arena, id, &u);
    if (e)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such user" : "could not read the user");
    return req_json(r, status, users_to_json(db, &u));
}

enum err api_users_create(struct request *r)
{
    struct user_input in = {0};
    enum err e = read_input(r, &in, true);
    if (e)
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    int64_t id;
    if ((e = users_create(req_db(r), &in, &by, &id, &f)))
        return req_failure(r, e, &f);
    return answer_user(r, 201, id);
}

enum err api_users_list(struct request *r)
{
    int limit;
    int64_t cursor;
    enum err e = in_page(r, &limit, &cursor);
    if (e)
        return e;
    const char *role = req_query(r, "role");
    enum role parsed;
    if (role && !role_parse(role, &parsed))
        return req_fail(r, ERR_BAD_REQUEST, "role", "role must be one of customer, agent, supervisor, admin");
    json_t *items = users_list(req_db(r), &r->arena, role, req_query(r, "q"), cursor, limit);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list users");
    return out_page(r, items, limit);
}

enum err api_staff_list(struct request *r)
{
    json_t *items = users_staff(req_db(r));
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list the staff");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

enum err api_users_get(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    return e ? e : answer_user(r, 200, id);
}

enum err api_users_update(struct request *r)
{
    int64_t id;
    struct user_input in = {0};
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = read_input(r, &in, false)))
        return e;
    if (id == r->me->user_id && ((in.has_role && in.role != ROLE_ADMIN) || (in.has_active && !in.active)))
        return req_fail(r, ERR_VALIDATION, in.has_role ? "role" : "active",
                        "you cannot demote or deactivate yourself; ask another admin");
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = users_update(req_db(r), id, &in, &by, &f)))
        return req_failure(r, e, &f);
    return answer_user(r, 200, id);
}
