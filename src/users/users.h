/* User accounts: create, read, list, change; passwords (argon2id) and their policy. */
#ifndef PARLEY_USERS_USERS_H
#define PARLEY_USERS_USERS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/roles.h"
#include "util/arena.h"
#include "util/error.h"

#define USER_NAME_MAX 200
#define USER_EMAIL_MAX 254
#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

struct user {
    int64_t id;
    const char *email, *name;   /* arena memory */
    enum role role;
    bool active, two_factor;
    const char *skills;         /* JSON array text */
    int64_t created_at, updated_at;
};

/* What to create or change; NULL/false members are left alone on update. */
struct user_input {
    const char *email, *name, *password;
    bool has_role;
    enum role role;
    bool has_active;
    bool active;
    json_t *skills;             /* array of strings, or NULL */
    json_t *team_ids;           /* array of team ids, or NULL */
};

/* Who did something, for the audit log. */
struct actor {
    int64_t user_id;            /* 0 for the command line */
    const char *ip;
};

/* Lower-cases and checks an email address into out (USER_EMAIL_MAX+1 bytes); false if invalid. */
bool users_normalize_email(const char *in, char *out);
/* Checks a new password against the policy (length, not the email, not common or dictionary-based). */
enum err users_check_password(const char *password, const char *email, struct failure *f);
/* Creates an account (validating every field, audited) and writes its id to *id. */
enum err users_create(struct db *db, const struct user_input *in, const struct actor *by, int64_t *id,
                      struct failure *f);
/* Reads an account by id into out (strings in arena); ERR_NOT_FOUND when absent. */
enum err users_get(struct db *db, struct arena *arena, int64_t id, struct user *out);
/* Reads an account by email with its password hash (arena); ERR_NOT_FOUND when absent. */
enum err users_get_by_email(struct db *db, struct arena *arena, const char *email, struct user *out,
                            const char **password_hash);
/* Changes an account (audited: role, active, password, teams, skills); a password change or a
 * deactivation ends the account's sessions and, for deactivation, stops its API keys. */
enum err users_update(struct db *db, int64_t id, const struct user_input *in, const struct actor *by,
                      struct failure *f);
/* Sets a new password after checking the policy and ends every session but keep_session (0: all). */
enum err users_set_password(struct db *db, int64_t id, const char *email, const char *password,
                            int64_t keep_session, const struct actor *by, struct failure *f);
/* The API object of a user: {id,email,name,role,active,two_factor,team_ids,skills,created_at}. */
json_t *users_to_json(struct db *db, const struct user *u);
/* Lists users by id (after_id for paging; role and q filter when not NULL) as API objects. */
json_t *users_list(struct db *db, struct arena *arena, const char *role, const char *q, int64_t after_id,
                   int limit);

/* The active staff (agents, supervisors, admins) by name: [{id, name, role, team_ids, skills}],
 * what agents need to assign tickets and show who wrote what. */
json_t *users_staff(struct db *db);

#endif
