/* /api/v1/teams: teams and their members (supervisors and admins change them; staff read them). */
#include "api/handlers.h"
#include "api/input.h"
#include "teams/teams.h"

enum err api_teams_list(struct request *r)
{
    json_t *items = teams_list(req_db(r));
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list teams");
    return req_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static enum err answer_team(struct request *r, int status, int64_t id)
{
    enum err e;
    json_t *team = teams_get(req_db(r), id, &e);
    if (!team)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such team" : "could not read the team");
    return req_json(r, status, team);
}

enum err api_teams_get(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    return e ? e : answer_team(r, 200, id);
}

enum err api_teams_create(struct request *r)
{
    const char *name, *description;
    enum err e;
    if ((e = in_string(r, "name", true, TEAM_NAME_MAX, &name)) ||
        (e = in_string(r, "description", false, TEAM_DESCRIPTION_MAX, &description)))
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    int64_t id;
    if ((e = teams_create(req_db(r), &by, name, description, &id, &f)))
        return req_failure(r, e, &f);
    return answer_team(r, 201, id);
}

enum err api_teams_update(struct request *r)
{
    int64_t id;
    const char *name, *description;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_string(r, "name", false, TEAM_NAME_MAX, &name)) ||
        (e = in_string(r, "description", false, TEAM_DESCRIPTION_MAX, &description)))
        return e;
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = teams_update(req_db(r), &by, id, name, description, &f)))
        return req_failure(r, e, &f);
    return answer_team(r, 200, id);
}

enum err api_teams_delete(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    struct actor by = req_actor(r);
    if ((e = teams_delete(req_db(r), &by, id)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such team" : "could not delete the team");
    return req_empty(r, 204);
}

enum err api_teams_member_add(struct request *r)
{
    int64_t id, user_id;
    bool present;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_int(r, "user_id", 1, INT64_MAX, &present, &user_id)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "user_id", "user_id is required");
    struct failure f;
    struct actor by = req_actor(r);
    if ((e = teams_add_member(req_db(r), &by, id, user_id, &f)))
        return req_failure(r, e, &f);
    return answer_team(r, 200, id);
}

enum err api_teams_member_remove(struct request *r)
{
    int64_t id, user_id;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_path_id(r, 1, &user_id)))
        return e;
    struct actor by = req_actor(r);
    if ((e = teams_remove_member(req_db(r), &by, id, user_id)))
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "not a member of this team" : "could not remove the member");
    return req_empty(r, 204);
}
