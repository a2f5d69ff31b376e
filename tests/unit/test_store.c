/* Unit tests of src/store on SQLite and, when PARLEY_TEST_PG_URL is set, on PostgreSQL:
 * binding $N by number, types, transactions, constraints, migrations, the argument check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrations.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static struct db *open_sqlite(char *dir)
{
    strcpy(dir, "/tmp/parley-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char err[256];
    struct db *db = db_open(NULL, dir, err, sizeof err);
    assert_non_null(db);
    return db;
}

/* A connection to PostgreSQL in a schema of its own, or NULL when no server is given. */
static struct db *open_pg(void)
{
    const char *url = getenv("PARLEY_TEST_PG_URL");
    if (!url || !*url)
        return NULL;
    char err[256], sql[128];
    struct db *db = db_open(url, "/tmp", err, sizeof err);
    if (!db)
        fail_msg("cannot connect to %s: %s", url, err);
    snprintf(sql, sizeof sql, "CREATE SCHEMA unit_%d; SET search_path TO unit_%d", (int)getpid(), (int)getpid());
    assert_int_equal(db_exec(db, sql), DB_DONE);
    return db;
}

static void drop_pg(struct db *db)
{
    char sql[96];
    snprintf(sql, sizeof sql, "DROP SCHEMA unit_%d CASCADE", (int)getpid());
    db_exec(db, sql);
    db_close(db);
}

static void exercise(struct db *db)
{
    char *ddl = db_ddl(db, "CREATE TABLE t (id @ID@, name TEXT NOT NULL UNIQUE, n BIGINT, x DOUBLE PRECISION)");
    assert_int_equal(db_exec(db, ddl), DB_DONE);
    free(ddl);
    /* $2 appears before $1: each must still get its own value */
    struct db_stmt *st = db_query(db, "INSERT INTO t (n, name, x) VALUES ($2, $1, $3) RETURNING id", "tid", "alpha",
                                  (int64_t)7, 2.5);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t id = db_col_int(st, 0);
    db_finalize(st);
    assert_true(id > 0);
    /* db_insert gives the new id on both drivers, also for a write outside a transaction */
    int64_t next = 0;
    assert_int_equal(db_insert(db, &next, "INSERT INTO t (n, name) VALUES ($1, $2)", "it", (int64_t)8, "gamma"), DB_DONE);
    assert_int_equal(next, id + 1);
    assert_int_equal(db_insert(db, &next, "INSERT INTO t (n, name) VALUES ($1, $2)", "it", (int64_t)9, "gamma"),
                     DB_CONSTRAINT);
    assert_int_equal(db_run(db, "DELETE FROM t WHERE name = 'gamma'", NULL), DB_DONE);
    st = db_query(db, "SELECT name, n, x, NULL FROM t WHERE id = $1", "i", id);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "alpha");
    assert_int_equal(db_col_int(st, 1), 7);
    assert_true(db_col_double(st, 2) == 2.5);
    assert_true(db_col_null(st, 3));
    assert_null(db_col_text(st, 3));
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    /* SQL metacharacters are data */
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "x'); DROP TABLE t; --"), DB_DONE);
    /* a unique violation is a constraint error */
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "alpha"), DB_CONSTRAINT);
    /* a rolled back transaction leaves nothing */
    assert_int_equal(db_begin(db), DB_DONE);
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "beta"), DB_DONE);
    assert_int_equal(db_rollback(db), DB_DONE);
    st = db_query(db, "SELECT count(*) FROM t WHERE name = $1", "t", "beta");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 0);
    db_finalize(st);
    /* a nested transaction commits or rolls back alone, inside the outer one */
    assert_int_equal(db_begin(db), DB_DONE);
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "outer"), DB_DONE);
    assert_int_equal(db_begin(db), DB_DONE);
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "inner-undone"), DB_DONE);
    assert_int_equal(db_rollback(db), DB_DONE);
    assert_int_equal(db_begin(db), DB_DONE);
    assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "t", "inner-kept"), DB_DONE);
    assert_int_equal(db_commit(db), DB_DONE);
    assert_true(db_in_transaction(db));
    assert_int_equal(db_commit(db), DB_DONE);
    assert_false(db_in_transaction(db));
    st = db_query(db, "SELECT count(*) FROM t WHERE name IN ('outer', 'inner-kept', 'inner-undone')", NULL);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 2);
    db_finalize(st);
    /* arguments that do not match the statement are refused, not guessed */
    assert_null(db_query(db, "SELECT $1, $2", "i", (int64_t)1));
    assert_non_null(strstr(db_errmsg(db), "arguments"));
    /* SQLite refuses bad SQL when preparing, PostgreSQL when running it */
    st = db_prepare(db, "SELEC nonsense");
    if (st) {
        assert_true(db_step(st) < 0);
        db_finalize(st);
    }
    /* dynamic arguments */
    struct db_args a = {0};
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE name = $%d OR n = $%d", db_arg_text(&a, "alpha"),
             db_arg_int(&a, 99));
    st = db_query_args(db, sql, &a);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    db_finalize(st);
}

static void migrations_apply_once(struct db *db)
{
    int applied = -1;
    assert_int_equal(migrate_apply(db, &applied), DB_DONE);
    assert_true(applied > 0);
    assert_int_equal(migrate_apply(db, &applied), DB_DONE);
    assert_int_equal(applied, 0);
    struct db_stmt *st = db_query(db, "SELECT count(*) FROM schema_migrations", NULL);
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int(st, 0) > 0);
    db_finalize(st);
}

static void sqlite_driver_works(void **state)
{
    char dir[64];
    struct db *db = open_sqlite(dir);
    exercise(db);
    migrations_apply_once(db);
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void postgres_driver_works(void **state)
{
    struct db *db = open_pg();
    if (!db)
        skip();
    exercise(db);
    migrations_apply_once(db);
    drop_pg(db);
}

static void open_reports_bad_urls(void **state)
{
    char err[256];
    assert_null(db_open("mysql://x", "/tmp", err, sizeof err));
    assert_non_null(strstr(err, "unsupported"));
    assert_null(db_open("postgres://nobody@/none?host=/nonexistent&port=1", "/tmp", err, sizeof err));
    assert_non_null(strstr(err, "PostgreSQL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_driver_works),
        cmocka_unit_test(postgres_driver_works),
        cmocka_unit_test(open_reports_bad_urls),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
