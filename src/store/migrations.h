/* Numbered schema migrations built into the binary and applied in order. */
#ifndef PARLEY_STORE_MIGRATIONS_H
#define PARLEY_STORE_MIGRATIONS_H
#include "store/db.h"

struct migration {
    int version;        /* from the file name: 001_init.sql is 1 */
    const char *name;   /* the file name without .sql */
    const char *sql;    /* may use @ID@ and @BLOB@, rewritten per driver */
};

/* All migrations, ascending, ended by an entry whose version is 0 (generated at build time). */
extern const struct migration migrations[];

/* Applies every migration not yet recorded in schema_migrations, each in its own transaction,
 * under the schema lock. Writes the number applied to *applied (may be NULL). On error returns
 * a negative db_status with db_errmsg naming the migration. */
int migrate_apply(struct db *db, int *applied);

#endif
