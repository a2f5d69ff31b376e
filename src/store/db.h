/* The database interface: one API over the SQLite and PostgreSQL drivers.
 * SQL is written once with $1, $2… placeholders, RETURNING and ON CONFLICT. */
#ifndef PARLEY_STORE_DB_H
#define PARLEY_STORE_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum db_kind { DB_SQLITE, DB_POSTGRES };

/* Results of db_step and of calls that can fail: 0 or positive is success. */
enum db_status {
    DB_DONE = 0,        /* statement finished (or call succeeded) */
    DB_ROW = 1,         /* a row is ready to read */
    DB_ERROR = -1,      /* anything else; db_errmsg says what */
    DB_CONSTRAINT = -2, /* unique, foreign-key or check constraint violated */
    DB_BUSY = -3,       /* could not get a lock in time */
};

struct db_driver;
struct db {
    const struct db_driver *drv;
    enum db_kind kind;
    int depth;              /* transactions open: 1 the driver's, more are savepoints */
    char errmsg[256];
};
struct db_stmt {
    struct db *db;
};

/* Opens a connection: a postgres:// or postgresql:// URL selects PostgreSQL, anything else is
 * SQLite at data_dir/parley.db (data_dir is created when missing). On failure returns NULL and
 * writes the reason into err. The caller owns the connection (db_close). */
struct db *db_open(const char *url, const char *data_dir, char *err, size_t errlen);
struct group_commit;
/* Like db_open; SQLite connections opened with the same group share their fsyncs (group commit). */
struct db *db_open_grouped(const char *url, const char *data_dir, struct group_commit *group, char *err,
                           size_t errlen);
/* True for postgres:// and postgresql:// URLs. */
bool db_is_postgres_url(const char *url);
/* The SQLite database file that url and data_dir select, into out. */
void db_sqlite_path(const char *url, const char *data_dir, char *out, size_t cap);
/* Closes a connection and finalizes nothing else: finalize statements first. */
void db_close(struct db *db);
/* True while the connection is usable (a dropped PostgreSQL link makes it false). */
bool db_healthy(struct db *db);
/* Compiles one statement; NULL on error (db_errmsg). The caller finalizes it. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Binds $idx (1-based) to an integer. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
/* Binds $idx to a double. */
int db_bind_double(struct db_stmt *st, int idx, double v);
/* Binds $idx to a copy of a NUL-terminated string; NULL binds SQL NULL. */
int db_bind_text(struct db_stmt *st, int idx, const char *s);
/* Binds $idx to SQL NULL. */
int db_bind_null(struct db_stmt *st, int idx);
/* Runs the statement or moves to its next row: DB_ROW, DB_DONE or a negative db_status. */
int db_step(struct db_stmt *st);
/* Clears the bindings' results so the statement can run again with new bindings. */
int db_reset(struct db_stmt *st);
/* Number of columns of the current row. */
int db_column_count(struct db_stmt *st);
/* True when column col of the current row is NULL. */
bool db_col_null(struct db_stmt *st, int col);
/* Column col as an integer (0 for NULL; PostgreSQL booleans read as 0/1). */
int64_t db_col_int(struct db_stmt *st, int col);
/* Column col as a double. */
double db_col_double(struct db_stmt *st, int col);
/* Column col as text, NULL for SQL NULL; valid until the next step, reset or finalize. */
const char *db_col_text(struct db_stmt *st, int col);
/* Frees the statement (NULL is fine). */
void db_finalize(struct db_stmt *st);
/* Runs one or more statements without parameters. */
int db_exec(struct db *db, const char *sql);
/* Starts a write transaction; inside one, a nested one (a savepoint) that commits or rolls
 * back alone, durable only with the outermost. */
int db_begin(struct db *db);
/* Commits the innermost open transaction; the outermost returns only once it is durable. */
int db_commit(struct db *db);
/* Rolls back the innermost open transaction (safe to call when none is open). */
int db_rollback(struct db *db);
/* Runs fn(db, arg) as one write transaction, kept when fn returns >= 0, rolled back when < 0:
 * with SQLite's group commit the committer thread runs fn itself on the writer connection (no
 * hand-off of the write lock between threads; fn must use only the db it is given and arg),
 * elsewhere (PostgreSQL, or inside a transaction) here. Returns fn's negative result, or the
 * commit's once it is durable (DB_DONE). */
int db_write(struct db *db, int (*fn)(struct db *db, void *arg), void *arg);
/* True while a transaction is open on the connection. */
bool db_in_transaction(struct db *db);
/* Named locks that serialise writers across processes and nodes. */
enum db_lock_name { DB_LOCK_SCHEMA = 1, DB_LOCK_AUDIT = 2, DB_LOCK_AI = 3 };
/* Takes an exclusive lock held until the open transaction ends (SQLite's write transaction
 * already excludes every other writer, so there it costs nothing). */
int db_lock(struct db *db, enum db_lock_name name);
/* Rewrites the dialect tokens of a migration (@ID@, @BLOB@) for this driver; caller frees. */
char *db_ddl(struct db *db, const char *sql);
/* The last error of this connection, never NULL. */
const char *db_errmsg(struct db *db);

/* Prepares sql, binds arguments described by fmt ('i' int64_t, 'd' double, 't' const char *
 * or NULL, 'n' no argument: NULL) as $1, $2…, and returns the statement ready to step;
 * NULL on error. The caller finalizes it. */
struct db_stmt *db_query(struct db *db, const char *sql, const char *fmt, ...);
/* Runs an INSERT of one row (sql without RETURNING) into a table with an @ID@ key; *id gets
 * the new row's id. Returns DB_DONE or an error. */
int db_insert(struct db *db, int64_t *id, const char *sql, const char *fmt, ...);
/* Like db_query, then steps to completion; returns DB_DONE or a negative db_status. */
int db_run(struct db *db, const char *sql, const char *fmt, ...);

/* Parameters gathered while a query is built piece by piece (dynamic filters). */
#define DB_ARGS_MAX 32
struct db_args {
    int n;
    char kind[DB_ARGS_MAX];         /* 'i' or 't' */
    int64_t ints[DB_ARGS_MAX];
    const char *texts[DB_ARGS_MAX]; /* not copied: must outlive the query */
};

/* Adds an integer parameter and returns its number ($N); aborts past DB_ARGS_MAX. */
int db_arg_int(struct db_args *a, int64_t v);
/* Adds a text parameter and returns its number ($N). */
int db_arg_text(struct db_args *a, const char *s);
/* Prepares sql and binds the gathered parameters; NULL on error. The caller finalizes it. */
struct db_stmt *db_query_args(struct db *db, const char *sql, const struct db_args *a);

#endif
