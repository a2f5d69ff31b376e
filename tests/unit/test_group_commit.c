/* Unit tests of SQLite's group commit (store/group_commit.c through the pool): many threads
 * writing at once share batches on one writer connection, yet each transaction stays its own:
 * rolled back alone, failing alone on a constraint, visible to its writer's next read, and on
 * disk after the pool is closed and reopened. Statements that write outside a transaction join
 * the batches too, and so do write jobs (db_write), which the committer thread runs itself. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/pool.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define THREADS 8
#define ROUNDS 150

static struct db_pool *pool;
static char dir[64];

struct writer {
    int thread;
    int kept, rolled_back, refused, errors, jobs_kept;
};

/* A write job: a row inside a nested transaction; it gives up after writing when asked to. */
struct job {
    const char *name;
    int thread;
    bool give_up;
};

static int write_job(struct db *db, void *arg)
{
    struct job *j = arg;
    if (db_begin(db) < 0)
        return DB_ERROR;
    if (db_run(db, "INSERT INTO items (name, thread) VALUES ($1, $2)", "ti", j->name, (int64_t)j->thread) < 0) {
        db_rollback(db);
        return DB_ERROR;
    }
    if (db_commit(db) < 0)
        return DB_ERROR;
    return j->give_up ? DB_CONSTRAINT : DB_DONE;
}

static int64_t count(struct db *db, const char *sql)
{
    struct db_stmt *st = db_query(db, sql, NULL);
    int64_t n = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

/* One round: a transaction of two rows kept, rolled back, or refused by the UNIQUE constraint,
 * then a statement outside any transaction. */
static void round_of(struct db *db, struct writer *w, int round)
{
    char name[64];
    snprintf(name, sizeof name, "t%d-r%d", w->thread, round);
    if (db_begin(db) < 0) {
        w->errors++;
        return;
    }
    int rc = db_run(db, "INSERT INTO items (name, thread) VALUES ($1, $2)", "ti", name, (int64_t)w->thread);
    /* the writer sees its own row inside its transaction */
    if (rc >= 0) {
        struct db_stmt *st = db_query(db, "SELECT COUNT(*) FROM items WHERE name = $1", "t", name);
        if (!st || db_step(st) != DB_ROW || db_col_int(st, 0) != 1)
            rc = DB_ERROR;
        db_finalize(st);
    }
    char second[80];
    snprintf(second, sizeof second, "%s-b", name);
    const char *dup = round % 7 == 3 ? name : second; /* every 7th round breaks UNIQUE */
    if (rc >= 0)
        rc = db_run(db, "INSERT INTO items (name, thread) VALUES ($1, $2)", "ti", dup, (int64_t)w->thread);
    if (rc == DB_CONSTRAINT) {
        db_rollback(db);
        w->refused++;
    } else if (rc < 0) {
        db_rollback(db);
        w->errors++;
    } else if (round % 5 == 1) {
        db_rollback(db);
        w->rolled_back++;
    } else if (db_commit(db) == DB_DONE) {
        w->kept++;
    } else {
        w->errors++;
    }
    if (db_run(db, "UPDATE counters SET n = n + 1 WHERE thread = $1", "i", (int64_t)w->thread) < 0)
        w->errors++;
    /* a write job: kept (and read back here at once), or given up and left no row */
    char job_name[80];
    snprintf(job_name, sizeof job_name, "%s-j", name);
    struct job j = {.name = job_name, .thread = w->thread, .give_up = round % 4 == 2};
    int rc_job = db_write(db, write_job, &j);
    if (rc_job != (j.give_up ? DB_CONSTRAINT : DB_DONE))
        w->errors++;
    struct db_stmt *st = db_query(db, "SELECT COUNT(*) FROM items WHERE name = $1", "t", job_name);
    if (!st || db_step(st) != DB_ROW || db_col_int(st, 0) != (j.give_up ? 0 : 1))
        w->errors++;
    db_finalize(st);
    w->jobs_kept += !j.give_up;
}

static void *write_rounds(void *arg)
{
    struct writer *w = arg;
    struct db *db = db_pool_acquire(pool);
    if (!db) {
        w->errors++;
        return NULL;
    }
    for (int r = 0; r < ROUNDS; r++)
        round_of(db, w, r);
    db_pool_release(pool, db);
    return NULL;
}

static void test_concurrent_writers_share_batches(void **state)
{
    strcpy(dir, "/tmp/parley-group-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char err[256];
    pool = db_pool_create(NULL, dir, err, sizeof err);
    assert_non_null(pool);
    struct db *db = db_pool_acquire(pool);
    assert_int_equal(db_exec(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                                 " thread INTEGER NOT NULL)"),
                     DB_DONE);
    assert_int_equal(db_exec(db, "CREATE TABLE counters (thread INTEGER PRIMARY KEY, n INTEGER NOT NULL)"), DB_DONE);
    for (int t = 0; t < THREADS; t++)
        assert_true(db_run(db, "INSERT INTO counters (thread, n) VALUES ($1, 0)", "i", (int64_t)t) >= 0);
    db_pool_release(pool, db);

    pthread_t threads[THREADS];
    struct writer writers[THREADS] = {{0}};
    for (int t = 0; t < THREADS; t++) {
        writers[t].thread = t;
        assert_int_equal(pthread_create(&threads[t], NULL, write_rounds, &writers[t]), 0);
    }
    int kept = 0, jobs_kept = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        assert_int_equal(writers[t].errors, 0);
        assert_int_equal(writers[t].kept + writers[t].rolled_back + writers[t].refused, ROUNDS);
        assert_true(writers[t].refused > 0 && writers[t].rolled_back > 0);
        kept += writers[t].kept;
        jobs_kept += writers[t].jobs_kept;
    }
    db_pool_destroy(pool);

    /* reopened: every kept transaction is there whole, nothing else is */
    pool = db_pool_create(NULL, dir, err, sizeof err);
    assert_non_null(pool);
    db = db_pool_acquire(pool);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM items"), 2 * kept + jobs_kept);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM items WHERE name LIKE '%-j'"), jobs_kept);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM items WHERE name LIKE '%-b'"), kept);
    assert_int_equal(count(db, "SELECT SUM(n) FROM counters"), THREADS * ROUNDS);
    db_pool_release(pool, db);
    db_pool_destroy(pool);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A transaction left open is rolled back when its connection goes back to the pool, and the
 * next writer is not blocked by it. */
static void test_open_transaction_is_ended_on_release(void **state)
{
    strcpy(dir, "/tmp/parley-group-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char err[256];
    pool = db_pool_create(NULL, dir, err, sizeof err);
    assert_non_null(pool);
    struct db *a = db_pool_acquire(pool);
    assert_int_equal(db_exec(a, "CREATE TABLE x (v INTEGER)"), DB_DONE);
    assert_int_equal(db_begin(a), DB_DONE);
    assert_true(db_in_transaction(a));
    assert_int_equal(db_begin(a), DB_DONE); /* nested, left open too */
    assert_true(db_run(a, "INSERT INTO x (v) VALUES (1)", NULL) >= 0);
    db_pool_release(pool, a);
    struct db *b = db_pool_acquire(pool);
    assert_true(db_run(b, "INSERT INTO x (v) VALUES (2)", NULL) >= 0);
    assert_int_equal(count(b, "SELECT COUNT(*) FROM x"), 1);
    assert_int_equal(count(b, "SELECT MAX(v) FROM x"), 2);
    assert_int_equal(db_commit(b), DB_ERROR); /* nothing open */
    db_pool_release(pool, b);
    db_pool_destroy(pool);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_writers_share_batches),
        cmocka_unit_test(test_open_transaction_is_ended_on_release),
    };
    return cmocka_run_group_tests_name("group_commit", tests, NULL, NULL);
}
