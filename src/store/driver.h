/* The table of functions each database driver provides; used only by store/. */
#ifndef PARLEY_STORE_DRIVER_H
#define PARLEY_STORE_DRIVER_H
#include "store/db.h"

struct db_driver {
    void (*close)(struct db *db);
    bool (*healthy)(struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
    int (*bind_double)(struct db_stmt *st, int idx, double v);
    int (*bind_text)(struct db_stmt *st, int idx, const char *s);
    int (*bind_null)(struct db_stmt *st, int idx);
    int (*param_count)(struct db_stmt *st);
    int (*step)(struct db_stmt *st);
    int (*reset)(struct db_stmt *st);
    int (*column_count)(struct db_stmt *st);
    bool (*col_null)(struct db_stmt *st, int col);
    int64_t (*col_int)(struct db_stmt *st, int col);
    double (*col_double)(struct db_stmt *st, int col);
    const char *(*col_text)(struct db_stmt *st, int col);
    void (*finalize)(struct db_stmt *st);
    int (*exec)(struct db *db, const char *sql);
    int (*begin)(struct db *db);
    int (*commit)(struct db *db);
    int (*rollback)(struct db *db);
    bool (*in_transaction)(struct db *db);
    int64_t (*last_id)(struct db *db); /* the last inserted rowid; NULL: INSERT … RETURNING id */
    int (*lock)(struct db *db, int name);
    /* db_write done elsewhere (*rc its result); false: run it here; NULL: always here */
    bool (*write)(struct db *db, int (*fn)(struct db *db, void *arg), void *arg, int *rc);
    const char *id_type;    /* replaces @ID@ in migrations */
    const char *blob_type;  /* replaces @BLOB@ */
};

struct group_commit;
/* Opens a SQLite database file (created when missing); with a group, commits share fsyncs
 * (group_commit.h), else each commit syncs. NULL with err filled on failure. */
struct db *sqlite_driver_open(const char *path, struct group_commit *group, char *err, size_t errlen);
/* Opens a PostgreSQL connection from a libpq URL; NULL with err filled on failure. */
struct db *pg_driver_open(const char *url, char *err, size_t errlen);

#endif
