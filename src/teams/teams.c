#include "teams/teams.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

static int audit_team(struct db *db, const struct actor *by, const char *action, int64_t id, const char *field,
                      const char *old_value, const char *new_value)
{
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action, .target_type = "team",
                            .target_id = id, .field = field, .old_value = old_value, .new_value = new_value,
                            .ip = by->ip};
    return audit_append(db, &e);
}

static enum err check_fields(const char *name, const char *description, bool name_required, struct failure *f)
{
    if (name_required && !name)
        return fail(f, ERR_VALIDATION, "name", "name is required");
    if (name && (!*name || strlen(name) > TEAM_NAME_MAX))
        return fail(f, ERR_VALIDATION, "name", "name must have 1 to %d characters", TEAM_NAME_MAX);
    if (description && strlen(description) > TEAM_DESCRIPTION_MAX)
        return fail(f, ERR_VALIDATION, "description", "description must have at most %d characters",
                    TEAM_DESCRIPTION_MAX);
    return ERR_OK;
}

/* Ends a write transaction: commits when rc is fine, else rolls back and maps the error. */
static enum err finish(struct db *db, int rc, struct failure *f)
{
    if (rc >= 0 && (rc = db_commit(db)) >= 0)
        return ERR_OK;
    db_rollback(db);
    if (rc == DB_CONSTRAINT)
        return fail(f, ERR_CONFLICT, "name", "a team with this name already exists");
    return fail(f, ERR_INTERNAL, NULL, "could not save the team: %s", db_errmsg(db));
}

enum err teams_create(struct db *db, const struct actor *by, const char *name, const char *description,
                      int64_t *id, struct failure *f)
{
    enum err e = check_fields(name, description, true, f);
    if (e)
        return e;
    int rc = db_begin(db);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db,
                                           "INSERT INTO teams (name, description, created_at) VALUES ($1, $2, $3)"
                                           " RETURNING id",
                                           "tti", name, description ? description : "", time_now());
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    if (rc == DB_DONE)
        rc = DB_ERROR; /* INSERT … RETURNING always gives a row */
    if (rc == DB_ROW)
        rc = audit_team(db, by, "team.create", *id, "name", NULL, name);
    return finish(db, rc, f);
}

/* True when team id exists. */
static int team_exists(struct db *db, int64_t id)
{
    struct db_stmt *st = db_query(db, "SELECT 1 FROM teams WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    return rc;
}

enum err teams_update(struct db *db, const struct actor *by, int64_t id, const char *name, const char *description,
                      struct failure *f)
{
    enum err e = check_fields(name, description, false, f);
    if (e)
        return e;
    int rc = db_begin(db);
    if (rc >= 0 && (rc = team_exists(db, id)) == DB_DONE) {
        db_rollback(db);
        return fail(f, ERR_NOT_FOUND, NULL, "no such team");
    }
    if (rc >= 0 && name)
        rc = db_run(db, "UPDATE teams SET name = $1 WHERE id = $2", "ti", name, id);
    if (rc >= 0 && name)
        rc = audit_team(db, by, "team.update", id, "name", NULL, name);
    if (rc >= 0 && description)
        rc = db_run(db, "UPDATE teams SET description = $1 WHERE id = $2", "ti", description, id);
    return finish(db, rc, f);
}

enum err teams_delete(struct db *db, const struct actor *by, int64_t id)
{
    int rc = db_begin(db);
    if (rc >= 0 && (rc = team_exists(db, id)) == DB_DONE) {
        db_rollback(db);
        return ERR_NOT_FOUND;
    }
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM team_members WHERE team_id = $1", "i", id);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM teams WHERE id = $1", "i", id);
    if (rc >= 0)
        rc = audit_team(db, by, "team.delete", id, NULL, NULL, NULL);
    return finish(db, rc, NULL);
}

static json_t *team_json(struct db *db, int64_t id, const char *name, const char *description, int64_t created)
{
    char at[21];
    json_t *members = json_array();
    struct db_stmt *st = db_query(db, "SELECT user_id FROM team_members WHERE team_id = $1 ORDER BY user_id", "i", id);
    while (st && db_step(st) == DB_ROW)
        json_array_append_new(members, json_integer(db_col_int(st, 0)));
    db_finalize(st);
    return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)id, "name", name, "description", description,
                     "member_ids", members, "created_at", time_format(created, at));
}

/* Reads the teams a query selects (id, name, description, created_at) as team objects. */
static json_t *read_teams(struct db *db, struct db_stmt *st)
{
    if (!st)
        return NULL;
    /* collect rows first: member lookups need the connection while no statement is open */
    json_t *rows = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(rows, json_pack("[I, s, s, I]", (json_int_t)db_col_int(st, 0), db_col_text(st, 1),
                                              db_col_text(st, 2), (json_int_t)db_col_int(st, 3)));
    db_finalize(st);
    json_t *items = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_array_append_new(items, team_json(db, json_integer_value(json_array_get(r, 0)),
                                               json_string_value(json_array_get(r, 1)),
                                               json_string_value(json_array_get(r, 2)),
                                               json_integer_value(json_array_get(r, 3))));
    }
    json_decref(rows);
    return items;
}

json_t *teams_get(struct db *db, int64_t id, enum err *e)
{
    json_t *items = read_teams(db, db_query(db, "SELECT id, name, description, created_at FROM teams WHERE id = $1",
                                            "i", id));
    *e = !items ? ERR_INTERNAL : json_array_size(items) == 0 ? ERR_NOT_FOUND : ERR_OK;
    json_t *team = *e ? NULL : json_incref(json_array_get(items, 0));
    json_decref(items);
    return team;
}

json_t *teams_list(struct db *db)
{
    return read_teams(db, db_query(db, "SELECT id, name, description, created_at FROM teams ORDER BY name", NULL));
}

enum err teams_add_member(struct db *db, const struct actor *by, int64_t team_id, int64_t user_id,
                          struct failure *f)
{
    int rc = db_begin(db);
    if (rc >= 0 && (rc = team_exists(db, team_id)) == DB_DONE) {
        db_rollback(db);
        return fail(f, ERR_NOT_FOUND, NULL, "no such team");
    }
    struct db_stmt *st = rc < 0 ? NULL : db_query(db, "SELECT role, active FROM users WHERE id = $1", "i", user_id);
    rc = st ? db_step(st) : DB_ERROR;
    bool staff = rc == DB_ROW && strcmp(db_col_text(st, 0), "customer") != 0 && db_col_int(st, 1);
    db_finalize(st);
    if (rc >= 0 && !staff) {
        db_rollback(db);
        return fail(f, ERR_VALIDATION, "user_id", "user_id must be an active agent, supervisor or admin");
    }
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    if (rc >= 0)
        rc = db_run(db, "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", "ii",
                    team_id, user_id);
    if (rc >= 0)
        rc = audit_team(db, by, "team.member_add", team_id, "member", NULL, uid);
    return finish(db, rc, f);
}

enum err teams_remove_member(struct db *db, const struct actor *by, int64_t team_id, int64_t user_id)
{
    int rc = db_begin(db);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db, "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id",
                                           "ii", team_id, user_id);
    rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    if (rc == DB_DONE) {
        db_rollback(db);
        return ERR_NOT_FOUND;
    }
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    if (rc == DB_ROW)
        rc = audit_team(db, by, "team.member_remove", team_id, "member", uid, NULL);
    return finish(db, rc, NULL);
}
