/* Customers known only by their email address, as tickets from agents or mail create them. */
#ifndef PARLEY_USERS_CUSTOMERS_H
#define PARLEY_USERS_CUSTOMERS_H
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

/* Finds the account of email or creates a customer account without a password (they can be
 * given one later) inside the caller's transaction; audited. Writes its id and role. */
enum err customers_find_or_create(struct db *db, const struct actor *by, const char *email, int64_t *id,
                                  enum role *role, struct failure *f);

#endif
