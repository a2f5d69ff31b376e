#include "users/customers.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

/* Reads the id and role of the account of email; DB_ROW when there is one. */
static int lookup(struct db *db, const char *email, int64_t *id, enum role *role)
{
    struct db_stmt *st = db_query(db, "SELECT id, role FROM users WHERE email = $1", "t", email);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        if (!role_parse(db_col_text(st, 1), role))
            *role = ROLE_CUSTOMER;
    }
    db_finalize(st);
    return rc;
}

enum err customers_find_or_create(struct db *db, const struct actor *by, const char *email_in, int64_t *id,
                                  enum role *role, struct failure *f)
{
    char email[USER_EMAIL_MAX + 1], name[USER_EMAIL_MAX + 1];
    if (!users_normalize_email(email_in, email))
        return fail(f, ERR_VALIDATION, "requester_email", "requester_email must be a valid address");
    int rc = lookup(db, email, id, role);
    if (rc == DB_ROW)
        return ERR_OK;
    if (rc < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    snprintf(name, sizeof name, "%.*s", (int)strcspn(email, "@"), email);
    int64_t now = time_now();
    rc = db_run(db,
                "INSERT INTO users (email, name, role, created_at, updated_at) VALUES ($1, $2, 'customer', $3, $3)"
                " ON CONFLICT (email) DO NOTHING",
                "tti", email, name, now);
    if (rc >= 0)
        rc = lookup(db, email, id, role);
    struct audit_entry e = {.actor_kind = by->user_id ? "user" : "system", .actor_id = by->user_id,
                            .action = "user.create", .target_type = "user", .target_id = *id, .field = "role",
                            .new_value = "customer", .ip = by->ip};
    if (rc == DB_ROW && audit_append(db, &e) >= 0)
        return ERR_OK;
    return fail(f, ERR_INTERNAL, NULL, "could not create the requester: %s", db_errmsg(db));
}
