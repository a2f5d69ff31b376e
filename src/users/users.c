#include "users/users.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/crypto.h"
#include "util/timeutil.h"

#define SKILLS_MAX 50
#define SKILL_LEN_MAX 50
#define TEAMS_MAX 100

bool users_normalize_email(const char *in, char *out)
{
    while (isspace((unsigned char)*in))
        in++;
    size_t len = strlen(in);
    while (len && isspace((unsigned char)in[len - 1]))
        len--;
    if (len == 0 || len > USER_EMAIL_MAX)
        return false;
    int at = -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"')
            return false;
        if (c == '@') {
            if (at >= 0)
                return false;
            at = (int)i;
        }
        out[i] = (char)tolower(c);
    }
    out[len] = 0;
    if (at <= 0 || (size_t)at + 1 >= len)
        return false;
    const char *domain = out + at + 1;
    const char *dot = strrchr(domain, '.');
    return dot && dot != domain && dot[1] && !strstr(domain, "..");
}

static enum err check_name(const char *name, struct failure *f)
{
    size_t len = strlen(name);
    bool blank = true;
    for (size_t i = 0; i < len; i++)
        blank &= isspace((unsigned char)name[i]) != 0;
    if (blank)
        return fail(f, ERR_VALIDATION, "name", "name must not be empty");
    if (len > USER_NAME_MAX)
        return fail(f, ERR_VALIDATION, "name", "name must have at most %d characters", USER_NAME_MAX);
    return ERR_OK;
}

/* Validates a skills array and writes its canonical JSON text (caller frees). */
static enum err skills_text(json_t *skills, char **out, struct failure *f)
{
    if (!json_is_array(skills) || json_array_size(skills) > SKILLS_MAX)
        return fail(f, ERR_VALIDATION, "skills", "skills must be a list of at most %d labels", SKILLS_MAX);
    size_t i;
    json_t *v;
    json_array_foreach(skills, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > SKILL_LEN_MAX)
            return fail(f, ERR_VALIDATION, "skills", "each skill must be a label of 1 to %d characters",
                        SKILL_LEN_MAX);
    }
    *out = json_dumps(skills, JSON_COMPACT);
    return ERR_OK;
}

/* Checks that team_ids is a list of existing team ids that a user of role may join (only staff
 * are team members). */
static enum err check_teams(struct db *db, json_t *team_ids, enum role role, struct failure *f)
{
    if (!json_is_array(team_ids) || json_array_size(team_ids) > TEAMS_MAX)
        return fail(f, ERR_VALIDATION, "team_ids", "team_ids must be a list of team ids");
    if (json_array_size(team_ids) > 0 && !role_is_staff(role))
        return fail(f, ERR_VALIDATION, "team_ids", "customers cannot be members of a team");
    size_t i;
    json_t *v;
    json_array_foreach(team_ids, i, v) {
        if (!json_is_integer(v))
            return fail(f, ERR_VALIDATION, "team_ids", "team_ids must be a list of team ids");
        struct db_stmt *st = db_query(db, "SELECT 1 FROM teams WHERE id = $1", "i", (int64_t)json_integer_value(v));
        int rc = st ? db_step(st) : DB_ERROR;
        db_finalize(st);
        if (rc < 0)
            return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
        if (rc != DB_ROW)
            return fail(f, ERR_VALIDATION, "team_ids", "team %lld does not exist", (long long)json_integer_value(v));
    }
    return ERR_OK;
}

static int set_teams(struct db *db, int64_t user_id, json_t *team_ids)
{
    int rc = db_run(db, "DELETE FROM team_members WHERE user_id = $1", "i", user_id);
    size_t i;
    json_t *v;
    json_array_foreach(team_ids, i, v) {
        if (rc < 0)
            break;
        rc = db_run(db, "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", "ii",
                    (int64_t)json_integer_value(v), user_id);
    }
    return rc;
}

static int audit_user(struct db *db, const struct actor *by, const char *action, int64_t id, const char *field,
                      const char *old_value, const char *new_value)
{
    struct audit_entry e = {.actor_kind = by->user_id ? "user" : "system", .actor_id = by->user_id,
                            .action = action, .target_type = "user", .target_id = id, .field = field,
                            .old_value = old_value, .new_value = new_value, .ip = by->ip};
    return audit_append(db, &e);
}

enum err users_create(struct db *db, const struct user_input *in, const struct actor *by, int64_t *id,
                      struct failure *f)
{
    char email[USER_EMAIL_MAX + 1], hash[128];
    char *skills = NULL;
    enum err e;
    if (!in->email || !users_normalize_email(in->email, email))
        return fail(f, ERR_VALIDATION, "email", "email must be a valid address");
    if (!in->name)
        return fail(f, ERR_VALIDATION, "name", "name is required");
    if ((e = check_name(in->name, f)))
        return e;
    if (!in->password)
        return fail(f, ERR_VALIDATION, "password", "password is required");
    if ((e = users_check_password(in->password, email, f)))
        return e;
    if (in->skills && (e = skills_text(in->skills, &skills, f)))
        return e;
    if (!crypto_password_hash(in->password, hash)) {
        free(skills);
        return fail(f, ERR_INTERNAL, NULL, "could not hash the password");
    }
    enum role role = in->has_role ? in->role : ROLE_CUSTOMER;
    int64_t now = time_now();
    int rc = db_begin(db);
    if (rc < 0)
        goto done;
    if (in->team_ids && (e = check_teams(db, in->team_ids, role, f)))
        goto done;
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO users (email, name, role, password_hash, skills, created_at, updated_at)"
                                  " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                                  "ttttti", email, in->name, role_name(role), hash, skills ? skills : "[]", now);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *id = db_col_int(st, 0);
    db_finalize(st);
    if (rc == DB_CONSTRAINT) {
        e = fail(f, ERR_CONFLICT, "email", "an account with this email already exists");
        goto done;
    }
    if (rc != DB_ROW)
        goto done;
    if ((in->team_ids && (rc = set_teams(db, *id, in->team_ids)) < 0) ||
        (rc = audit_user(db, by, "user.create", *id, "role", NULL, role_name(role))) < 0)
        goto done;
    rc = db_commit(db);
done:
    free(skills);
    if (e || rc < 0) {
        db_rollback(db);
        return e ? e : fail(f, ERR_INTERNAL, NULL, "could not save the account: %s", db_errmsg(db));
    }
    return ERR_OK;
}

#define USER_COLUMNS "id, email, name, role, active, totp_enabled, skills, created_at, updated_at, password_hash"

static void read_user(struct db_stmt *st, struct arena *arena, struct user *u)
{
    u->id = db_col_int(st, 0);
    u->email = arena_strdup(arena, db_col_text(st, 1));
    u->name = arena_strdup(arena, db_col_text(st, 2));
    if (!role_parse(db_col_text(st, 3), &u->role))
        u->role = ROLE_CUSTOMER;
    u->active = db_col_int(st, 4) != 0;
    u->two_factor = db_col_int(st, 5) != 0;
    u->skills = arena_strdup(arena, db_col_text(st, 6));
    u->created_at = db_col_int(st, 7);
    u->updated_at = db_col_int(st, 8);
}

/* Runs a query for one user row; ERR_NOT_FOUND when there is none. */
static enum err get_one(struct db_stmt *st, struct arena *arena, struct user *out, const char **password_hash)
{
    if (!st)
        return ERR_INTERNAL;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        read_user(st, arena, out);
        if (password_hash)
            *password_hash = arena_strdup(arena, db_col_text(st, 9));
    }
    db_finalize(st);
    return rc == DB_ROW ? ERR_OK : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err users_get(struct db *db, struct arena *arena, int64_t id, struct user *out)
{
    return get_one(db_query(db, "SELECT " USER_COLUMNS " FROM users WHERE id = $1", "i", id), arena, out, NULL);
}

enum err users_get_by_email(struct db *db, struct arena *arena, const char *email, struct user *out,
                            const char **password_hash)
{
    return get_one(db_query(db, "SELECT " USER_COLUMNS " FROM users WHERE email = $1", "t", email), arena, out,
                   password_hash);
}

static int end_sessions(struct db *db, int64_t id, int64_t keep_session)
{
    return db_run(db, "UPDATE sessions SET revoked = 1 WHERE user_id = $1 AND id <> $2 AND revoked = 0", "ii", id,
                  keep_session);
}

enum err users_update(struct db *db, int64_t id, const struct user_input *in, const struct actor *by,
                      struct failure *f)
{
    struct arena arena;
    arena_init(&arena, 1024);
    char *skills = NULL;
    char hash[128];
    enum err e = ERR_OK;
    int rc = DB_DONE;
    if (in->email)
        e = fail(f, ERR_VALIDATION, "email", "the email of an account cannot be changed");
    else if (in->name)
        e = check_name(in->name, f);
    if (!e && in->skills)
        e = skills_text(in->skills, &skills, f);
    if (!e && in->password)
        e = users_check_password(in->password, NULL, f);
    if (!e && in->password && !crypto_password_hash(in->password, hash))
        e = fail(f, ERR_INTERNAL, NULL, "could not hash the password");
    if (e)
        goto done;
    if ((rc = db_begin(db)) < 0)
        goto done;
    struct user cur;
    if ((e = users_get(db, &arena, id, &cur))) {
        fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such user" : "could not read the user");
        goto done;
    }
    if (in->password && (e = users_check_password(in->password, cur.email, f)))
        goto done;
    enum role role = in->has_role ? in->role : cur.role;
    if (in->team_ids && (e = check_teams(db, in->team_ids, role, f)))
        goto done;
    int64_t now = time_now();
    if (in->name && strcmp(in->name, cur.name) != 0 &&
        ((rc = db_run(db, "UPDATE users SET name = $1, updated_at = $2 WHERE id = $3", "tii", in->name, now, id)) < 0 ||
         (rc = audit_user(db, by, "user.update", id, "name", cur.name, in->name)) < 0))
        goto done;
    if (in->has_role && in->role != cur.role &&
        ((rc = db_run(db, "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3", "tii", role_name(in->role), now,
                      id)) < 0 ||
         (rc = audit_user(db, by, "user.role_change", id, "role", role_name(cur.role), role_name(in->role))) < 0 ||
         /* a customer is no team's member */
         (!role_is_staff(in->role) && (rc = db_run(db, "DELETE FROM team_members WHERE user_id = $1", "i", id)) < 0)))
        goto done;
    if (in->has_active && in->active != cur.active &&
        ((rc = db_run(db, "UPDATE users SET active = $1, updated_at = $2 WHERE id = $3", "iii", (int64_t)in->active,
                      now, id)) < 0 ||
         (rc = audit_user(db, by, in->active ? "user.activate" : "user.deactivate", id, "active",
                          cur.active ? "true" : "false", in->active ? "true" : "false")) < 0 ||
         (!in->active && (rc = end_sessions(db, id, 0)) < 0)))
        goto done;
    if (in->password &&
        ((rc = db_run(db, "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3", "tii", hash, now, id)) < 0 ||
         (rc = end_sessions(db, id, 0)) < 0 ||
         (rc = audit_user(db, by, "user.password_reset", id, "password", NULL, NULL)) < 0))
        goto done;
    if (skills && strcmp(skills, cur.skills) != 0 &&
        ((rc = db_run(db, "UPDATE users SET skills = $1, updated_at = $2 WHERE id = $3", "tii", skills, now, id)) < 0 ||
         (rc = audit_user(db, by, "user.update", id, "skills", cur.skills, skills)) < 0))
        goto done;
    if (in->team_ids) {
        char *teams = json_dumps(in->team_ids, JSON_COMPACT);
        rc = set_teams(db, id, in->team_ids);
        if (rc >= 0)
            rc = audit_user(db, by, "user.update", id, "team_ids", NULL, teams);
        free(teams);
        if (rc < 0)
            goto done;
    }
    rc = db_commit(db);
done:
    free(skills);
    arena_reset(&arena);
    if (e || rc < 0) {
        db_rollback(db);
        return e ? e : fail(f, ERR_INTERNAL, NULL, "could not save the account: %s", db_errmsg(db));
    }
    return ERR_OK;
}

enum err users_set_password(struct db *db, int64_t id, const char *email, const char *password,
                            int64_t keep_session, const struct actor *by, struct failure *f)
{
    char hash[128];
    enum err e = users_check_password(password, email, f);
    if (e)
        return e;
    if (!crypto_password_hash(password, hash))
        return fail(f, ERR_INTERNAL, NULL, "could not hash the password");
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3", "tii", hash,
                    time_now(), id);
    if (rc >= 0)
        rc = end_sessions(db, id, keep_session);
    if (rc >= 0)
        rc = audit_user(db, by, "auth.password_change", id, "password", NULL, NULL);
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not change the password: %s", db_errmsg(db));
    }
    return ERR_OK;
}

json_t *users_to_json(struct db *db, const struct user *u)
{
    char created[21];
    json_t *teams = json_array();
    struct db_stmt *st = db_query(db, "SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id", "i", u->id);
    while (st && db_step(st) == DB_ROW)
        json_array_append_new(teams, json_integer(db_col_int(st, 0)));
    db_finalize(st);
    json_t *skills = json_loads(u->skills ? u->skills : "[]", 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:s}", "id", (json_int_t)u->id, "email", u->email,
                     "name", u->name, "role", role_name(u->role), "active", u->active, "two_factor", u->two_factor,
                     "team_ids", teams, "skills", skills ? skills : json_array(), "created_at",
                     time_format(u->created_at, created));
}

json_t *users_list(struct db *db, struct arena *arena, const char *role, const char *q, int64_t after_id,
                   int limit)
{
    /* q matches anywhere in the email or name, literally: LIKE's own % _ and \ are escaped */
    char pattern[2 * USER_NAME_MAX + 3] = "";
    if (q && *q) {
        size_t n = 0;
        pattern[n++] = '%';
        for (const char *c = q; *c && n + 3 < sizeof pattern; c++) {
            if (*c == '%' || *c == '_' || *c == '\\')
                pattern[n++] = '\\';
            pattern[n++] = *c;
        }
        pattern[n++] = '%';
        pattern[n] = 0;
    }
    struct db_stmt *st = db_query(db,
                                  "SELECT " USER_COLUMNS " FROM users WHERE id > $1 AND ($2 = '' OR role = $2)"
                                  " AND ($3 = '' OR lower(email) LIKE lower($3) ESCAPE '\\'"
                                  " OR lower(name) LIKE lower($3) ESCAPE '\\')"
                                  " ORDER BY id LIMIT $4",
                                  "itti", after_id, role ? role : "", pattern, (int64_t)limit);
    if (!st)
        return NULL;
    struct user *users = arena_calloc(arena, (size_t)limit, sizeof *users);
    int n = 0, rc = DB_DONE;
    while (n < limit && (rc = db_step(st)) == DB_ROW)
        read_user(st, arena, &users[n++]);
    if (n == limit)
        rc = DB_DONE;
    db_finalize(st);
    if (rc < 0)
        return NULL;
    /* team lookups run once the list query is finished: one open statement at a time */
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, users_to_json(db, &users[i]));
    return items;
}

json_t *users_staff(struct db *db)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, name, role, skills FROM users WHERE role <> 'customer' AND active = 1"
                                  " ORDER BY name, id",
                                  NULL);
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *skills = json_loads(db_col_text(st, 3), 0, NULL);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:[]}", "id", (json_int_t)db_col_int(st, 0),
                                               "name", db_col_text(st, 1), "role", db_col_text(st, 2), "skills",
                                               skills ? skills : json_array(), "team_ids"));
    }
    db_finalize(st);
    /* one pass over the memberships, once the first statement is done */
    st = db_query(db, "SELECT user_id, team_id FROM team_members ORDER BY team_id", NULL);
    while (st && db_step(st) == DB_ROW) {
        size_t i;
        json_t *u;
        json_array_foreach(items, i, u) {
            if (json_integer_value(json_object_get(u, "id")) == db_col_int(st, 0))
                json_array_append_new(json_object_get(u, "team_ids"), json_integer(db_col_int(st, 1)));
        }
    }
    db_finalize(st);
    return items;
}
