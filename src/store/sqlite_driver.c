/* SQLite driver: WAL, foreign keys, busy timeout, durable commits (synchronous=FULL, or a
 * group commit: write transactions of all connections run in savepoints of shared batches on
 * one writer connection, see group_commit.h). Parameters $N are bound by name, never by
 * position. Prepared statements are kept per connection and reused when the same SQL comes again. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "store/group_commit.h"
#include "util/strhash.h"

#define CACHE_SLOTS 256
#define MAX_PARAMS 64

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *h;
    char *sql;                      /* set when the statement lives in the cache */
    uint32_t hash;
    bool in_use;
    bool readonly;
    int nparams;
    int index[MAX_PARAMS + 1];      /* SQLite's index of "$N" (SQLite numbers by first appearance) */
};

/* One SQLite connection and its prepared statements. */
struct sq_conn {
    sqlite3 *h;
    struct sq_stmt *cache[CACHE_SLOTS];
    int ncached;
};

struct sq_db {
    struct db base;
    struct sq_conn own;
    struct sq_conn *cur;            /* own, or the group's writer while writing */
    struct group_commit *group;     /* NULL: synchronous=FULL, transactions on own */
    struct group_member member;
    bool writing;                   /* inside a savepoint on the group's writer */
    struct sq_stmt *implicit;       /* a write statement outside a transaction: its own savepoint */
};

#define SQ(db) ((struct sq_db *)(db))
#define ST(st) ((struct sq_stmt *)(st))

static int fail(struct db *db, int rc)
{
    snprintf(db->errmsg, sizeof db->errmsg, "%s", sqlite3_errmsg(SQ(db)->cur->h));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
}

static void conn_close(void *p)
{
    struct sq_conn *c = p;
    for (int i = 0; i < c->ncached; i++) {
        sqlite3_finalize(c->cache[i]->h);
        free(c->cache[i]->sql);
        free(c->cache[i]);
    }
    sqlite3_close_v2(c->h);
}

/* The group's writer connection, and a handle whose statements run straight on it: the
 * committer runs write jobs through that handle. */
struct sq_writer {
    struct sq_conn conn;            /* first: the group's writer is used as a sq_conn */
    struct sq_db jobs;
};

static void free_writer(void *p)
{
    conn_close(p);
    free(p);
}

static int member_end(struct sq_db *s, bool keep, bool wait);

static void sq_close(struct db *db)
{
    if (SQ(db)->writing)
        member_end(SQ(db), false, false);
    if (SQ(db)->group)
        group_member_destroy(&SQ(db)->member);
    conn_close(&SQ(db)->own);
    free(db);
}

static bool sq_healthy(struct db *db) { return true; }

/* A statement of connection c for sql, from its cache when there. */
static struct sq_stmt *conn_prepare(struct sq_db *db, struct sq_conn *c, const char *sql)
{
    uint32_t hash = str_hash(sql);
    for (int i = 0; i < c->ncached; i++) {
        struct sq_stmt *st = c->cache[i];
        if (!st->in_use && st->hash == hash && strcmp(st->sql, sql) == 0) {
            st->in_use = true;
            st->base.db = &db->base;
            return st;
        }
    }
    sqlite3_stmt *h;
    int rc = sqlite3_prepare_v2(c->h, sql, -1, &h, NULL);
    if (rc != SQLITE_OK) {
        fail(&db->base, rc);
        return NULL;
    }
    struct sq_stmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->base.db = &db->base;
    st->h = h;
    st->hash = hash;
    st->in_use = true;
    st->readonly = sqlite3_stmt_readonly(h) != 0;
    st->nparams = sqlite3_bind_parameter_count(h);
    for (int n = 1; n <= MAX_PARAMS; n++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", n);
        st->index[n] = sqlite3_bind_parameter_index(h, name);
    }
    if (c->ncached < CACHE_SLOTS && st->nparams <= MAX_PARAMS) {
        st->sql = strdup(sql);
        if (!st->sql)
            abort();
        c->cache[c->ncached++] = st;
    }
    return st;
}

static void sq_finalize(struct db_stmt *st);
static int member_begin(struct sq_db *s);

/* Outside a transaction, a statement that writes runs on the group's writer in a savepoint of
 * its own, ended when the statement is finalized. */
static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
    struct sq_db *s = SQ(db);
    struct sq_stmt *st = conn_prepare(s, s->cur, sql);
    if (!st || st->readonly || !s->group || s->writing)
        return st ? &st->base : NULL;
    sq_finalize(&st->base);
    if (member_begin(s) < 0)
        return NULL;
    st = conn_prepare(s, s->cur, sql);
    if (!st) {
        char msg[sizeof db->errmsg];
        snprintf(msg, sizeof msg, "%s", db->errmsg);
        member_end(s, false, false);
        snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
        return NULL;
    }
    s->implicit = st;
    return &st->base;
}

/* The index SQLite gave "$idx": it numbers parameters by first appearance. 0 when unused. */
static int param_index(struct db_stmt *st, int idx)
{
    if (idx >= 1 && idx <= MAX_PARAMS)
        return ST(st)->index[idx];
    char name[16];
    snprintf(name, sizeof name, "$%d", idx);
    return sqlite3_bind_parameter_index(ST(st)->h, name);
}

static int bound(struct db_stmt *st, int rc)
{
    return rc == SQLITE_OK ? DB_DONE : fail(st->db, rc);
}

static int sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    int i = param_index(st, idx);
    return i ? bound(st, sqlite3_bind_int64(ST(st)->h, i, v)) : DB_DONE;
}

static int sq_bind_double(struct db_stmt *st, int idx, double v)
{
    int i = param_index(st, idx);
    return i ? bound(st, sqlite3_bind_double(ST(st)->h, i, v)) : DB_DONE;
}

static int sq_bind_text(struct db_stmt *st, int idx, const char *s)
{
    int i = param_index(st, idx);
    return i ? bound(st, sqlite3_bind_text(ST(st)->h, i, s, -1, SQLITE_TRANSIENT)) : DB_DONE;
}

static int sq_bind_null(struct db_stmt *st, int idx)
{
    int i = param_index(st, idx);
    return i ? bound(st, sqlite3_bind_null(ST(st)->h, i)) : DB_DONE;
}

static int sq_param_count(struct db_stmt *st) { return sqlite3_bind_parameter_count(ST(st)->h); }

static int sq_step(struct db_stmt *st)
{
    int rc = sqlite3_step(ST(st)->h);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return fail(st->db, rc);
}

static int sq_reset(struct db_stmt *st)
{
    sqlite3_reset(ST(st)->h);
    sqlite3_clear_bindings(ST(st)->h);
    return DB_DONE;
}

static int sq_column_count(struct db_stmt *st) { return sqlite3_column_count(ST(st)->h); }
static bool sq_col_null(struct db_stmt *st, int col)
{
    return sqlite3_column_type(ST(st)->h, col) == SQLITE_NULL;
}
static int64_t sq_col_int(struct db_stmt *st, int col) { return sqlite3_column_int64(ST(st)->h, col); }
static double sq_col_double(struct db_stmt *st, int col) { return sqlite3_column_double(ST(st)->h, col); }
static const char *sq_col_text(struct db_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(ST(st)->h, col);
}

static void sq_finalize(struct db_stmt *st)
{
    struct sq_db *s = SQ(st->db);
    bool ends_implicit = s->implicit == ST(st);
    if (ST(st)->sql) {
        /* back into the cache, ready for the next use */
        sqlite3_reset(ST(st)->h);
        sqlite3_clear_bindings(ST(st)->h);
        ST(st)->in_use = false;
    } else {
        sqlite3_finalize(ST(st)->h);
        free(st);
    }
    /* not waited for, like an autocommit write with synchronous=NORMAL */
    if (ends_implicit)
        member_end(s, true, false);
}

/* Runs sql on connection c: one statement (BEGIN, SAVEPOINT, COMMIT...) from c's cache, a
 * script of several through sqlite3_exec. */
static int conn_run(struct sq_db *s, struct sq_conn *c, const char *sql)
{
    if (strchr(sql, ';')) {
        int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
        return rc == SQLITE_OK ? DB_DONE : fail(&s->base, rc);
    }
    struct sq_stmt *st = conn_prepare(s, c, sql);
    if (!st)
        return DB_ERROR;
    int rc = sqlite3_step(st->h);
    int out = rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_DONE : fail(&s->base, rc);
    if (st->sql) {
        sqlite3_reset(st->h);
        st->in_use = false;
    } else {
        sqlite3_finalize(st->h);
        free(st);
    }
    return out;
}

/* Runs sql on the connection in use. */
static int conn_exec(struct sq_db *s, const char *sql) { return conn_run(s, s->cur, sql); }

/* Opens the connection c to path; durable: each commit syncs, else the group syncs. */
static bool conn_open(struct sq_conn *c, const char *path, bool durable, char *err, size_t errlen)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return false;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    const char *setup = durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                                  "PRAGMA temp_store=MEMORY;"
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                                  "PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(h, setup, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot set up %s: %s", path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close_v2(h);
        return false;
    }
    c->h = h;
    return true;
}

/* The group's committer: COMMIT the batch on the writer, or ROLLBACK when that fails. */
static bool commit_writer(void *p)
{
    struct sq_conn *w = p;
    if (sqlite3_exec(w->h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return true;
    sqlite3_exec(w->h, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

static const struct db_driver sqlite_driver;

/* A write job of db_write: the function and what it returned. */
struct sq_job {
    struct group_job base;          /* first: the group hands jobs round as group_job */
    int (*fn)(struct db *db, void *arg);
    void *arg;
    int rc;
};

/* Ends the savepoint "member" on s's connection: RELEASE when keep; otherwise, or when that
 * fails, ROLLBACK TO it while the batch still stands. Negative unless kept; s's error message
 * stays the first one. */
static int end_savepoint(struct sq_db *s, bool keep)
{
    int rc = keep ? conn_exec(s, "RELEASE member") : DB_ERROR;
    if (rc < 0 && !sqlite3_get_autocommit(s->cur->h)) {
        char msg[sizeof s->base.errmsg];
        snprintf(msg, sizeof msg, "%s", s->base.errmsg);
        conn_exec(s, "ROLLBACK TO member");
        conn_exec(s, "RELEASE member");
        snprintf(s->base.errmsg, sizeof s->base.errmsg, "%s", msg);
    }
    return rc;
}

/* The committer, with the write lock: runs each job in a savepoint of the batch, through the
 * writer's job handle (where db_begin is a savepoint too). */
static bool run_jobs(void *p, struct group_job *jobs, bool open)
{
    struct sq_writer *w = p;
    struct sq_db *x = &w->jobs;
    bool ok = open || conn_exec(x, "BEGIN IMMEDIATE") >= 0;
    for (struct group_job *j = jobs; j; j = j->next) {
        struct sq_job *job = (struct sq_job *)j;
        job->rc = ok ? conn_exec(x, "SAVEPOINT member") : DB_ERROR;
        if (job->rc < 0)
            continue;
        x->base.depth = 1;
        int rc = job->fn(&x->base, job->arg);
        x->base.depth = 0;
        job->rc = end_savepoint(x, rc >= 0) < 0 && rc >= 0 ? DB_ERROR : rc;
        /* SQLite rolled the whole batch back (I/O error, disk full): all of it is lost */
        ok = !sqlite3_get_autocommit(w->conn.h);
    }
    return ok;
}

/* Opens the group's writer connection (once, when the pool opens its first connection). */
static bool open_writer(struct group_commit *group, char *err, size_t errlen)
{
    static const struct group_writer_ops ops = {.run_jobs = run_jobs, .commit = commit_writer, .close = free_writer};
    struct sq_writer *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    if (!conn_open(&w->conn, group_commit_path(group), false, err, errlen)) {
        free(w);
        return false;
    }
    w->jobs.base.drv = &sqlite_driver;
    w->jobs.base.kind = DB_SQLITE;
    w->jobs.cur = &w->conn;
    group_commit_set_writer(group, w, &ops);
    return true;
}

/* Hands the writer on; m joins the batch first (NULL: nothing to wait for). Must not touch
 * the writer afterwards. */
static void leave_batch(struct sq_db *s, struct group_member *m)
{
    struct sq_conn *w = s->cur;
    s->cur = &s->own;
    if (sqlite3_get_autocommit(w->h))
        /* SQLite rolled the whole batch back (I/O error, disk full): all of it is lost */
        group_commit_fail(s->group);
    else
        group_commit_leave(s->group, m);
}

/* Joins (or begins) the group's batch on its writer connection and opens a savepoint there. */
static int member_begin(struct sq_db *s)
{
    struct db *db = &s->base;
    int joined = group_commit_enter(s->group);
    if (joined < 0) {
        snprintf(db->errmsg, sizeof db->errmsg, "a second connection of this thread tried to write "
                                                "inside a transaction");
        return DB_ERROR;
    }
    s->cur = group_commit_writer(s->group);
    /* IMMEDIATE takes SQLite's write lock up front: no upgrade from a read lock later */
    int rc = joined ? DB_DONE : conn_exec(s, "BEGIN IMMEDIATE");
    if (rc >= 0 && (rc = conn_exec(s, "SAVEPOINT member")) >= 0) {
        s->writing = true;
        return DB_DONE;
    }
    char msg[sizeof db->errmsg];
    snprintf(msg, sizeof msg, "%s", db->errmsg);
    leave_batch(s, NULL);
    s->cur = &s->own;
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
    return rc;
}

/* Ends this writer's savepoint, keeping its changes or not, and hands the batch on. A kept
 * savepoint joins the batch, and the call returns once the batch has committed (so the
 * connection reads its own write) and, with wait, is on disk. */
static int member_end(struct sq_db *s, bool keep, bool wait)
{
    struct db *db = &s->base;
    int ended = end_savepoint(s, keep);
    bool kept = keep && ended >= 0;
    int rc = keep ? ended : DB_DONE;
    char msg[sizeof db->errmsg];
    snprintf(msg, sizeof msg, "%s", db->errmsg);
    if (kept && sqlite3_get_autocommit(s->cur->h)) {
        snprintf(msg, sizeof msg, "the transaction was rolled back by the database");
        kept = false;
        rc = DB_ERROR;
    }
    s->writing = false;
    s->implicit = NULL;
    s->member.durable = wait;
    leave_batch(s, kept ? &s->member : NULL);
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
    if (!kept)
        return rc;
    if (!group_commit_wait(s->group, &s->member) && wait) {
        snprintf(db->errmsg, sizeof db->errmsg, "could not commit to disk");
        return DB_ERROR;
    }
    return DB_DONE;
}

static int sq_exec(struct db *db, const char *sql)
{
    struct sq_db *s = SQ(db);
    if (!s->group || s->writing)
        return conn_exec(s, sql);
    int rc = member_begin(s);
    if (rc >= 0)
        rc = conn_exec(s, sql);
    if (rc >= 0)
        return member_end(s, true, true);
    if (s->writing) {
        char msg[sizeof db->errmsg];
        snprintf(msg, sizeof msg, "%s", db->errmsg);
        member_end(s, false, false);
        snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
    }
    return rc;
}

static int sq_begin(struct db *db)
{
    struct sq_db *s = SQ(db);
    if (!s->group)
        return conn_exec(s, "BEGIN IMMEDIATE");
    if (s->writing) {
        snprintf(db->errmsg, sizeof db->errmsg, "a transaction is already open on this connection");
        return DB_ERROR;
    }
    return member_begin(s);
}

static int sq_commit(struct db *db)
{
    struct sq_db *s = SQ(db);
    if (!s->group)
        return conn_exec(s, "COMMIT");
    if (!s->writing) {
        snprintf(db->errmsg, sizeof db->errmsg, "no transaction is open");
        return DB_ERROR;
    }
    return member_end(s, true, true);
}

static int sq_rollback(struct db *db)
{
    struct sq_db *s = SQ(db);
    if (!s->group)
        return conn_exec(s, "ROLLBACK");
    return s->writing ? member_end(s, false, false) : DB_DONE;
}

static bool sq_in_transaction(struct db *db)
{
    struct sq_db *s = SQ(db);
    return s->group ? s->writing : !sqlite3_get_autocommit(s->own.h);
}

/* db_write with a group: the committer runs fn itself; declines inside a transaction. */
static bool sq_write(struct db *db, int (*fn)(struct db *db, void *arg), void *arg, int *rc)
{
    struct sq_db *s = SQ(db);
    if (!s->group || s->writing || db->depth > 0)
        return false;
    struct sq_job job = {.fn = fn, .arg = arg};
    group_member_init(&job.base.member);
    int run = group_commit_run(s->group, &job.base);
    group_member_destroy(&job.base.member);
    if (run < 0)
        return false; /* this thread holds the write lock: db_begin reports it */
    *rc = job.rc < 0 ? job.rc : run ? DB_DONE : DB_ERROR;
    if (job.rc < 0 || !run)
        snprintf(db->errmsg, sizeof db->errmsg, "%s", job.rc < 0 ? "the write failed" : "could not commit to disk");
    return true;
}

static int64_t sq_last_id(struct db *db) { return sqlite3_last_insert_rowid(SQ(db)->cur->h); }
static int sq_lock(struct db *db, int name) { return DB_DONE; /* the write lock already serialises writers */ }

static const struct db_driver sqlite_driver = {
    .close = sq_close, .healthy = sq_healthy, .prepare = sq_prepare,
    .bind_int = sq_bind_int, .bind_double = sq_bind_double, .bind_text = sq_bind_text,
    .bind_null = sq_bind_null, .param_count = sq_param_count, .step = sq_step, .reset = sq_reset,
    .column_count = sq_column_count, .col_null = sq_col_null, .col_int = sq_col_int,
    .col_double = sq_col_double, .col_text = sq_col_text, .finalize = sq_finalize,
    .exec = sq_exec, .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback, .in_transaction = sq_in_transaction, .last_id = sq_last_id, .lock = sq_lock,
    .write = sq_write, .id_type = "INTEGER PRIMARY KEY AUTOINCREMENT", .blob_type = "BLOB",
};

/* SQLite's process-wide settings, before its first use: no memory statistics (they take a
 * global mutex on every allocation, which 64 request threads then queue on). */
static void configure_sqlite(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

struct db *sqlite_driver_open(const char *path, struct group_commit *group, char *err, size_t errlen)
{
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, configure_sqlite);
    struct sq_db *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    /* with a group, the group's fsync of the WAL makes commits durable instead */
    if (!conn_open(&db->own, path, group == NULL, err, errlen)) {
        free(db);
        return NULL;
    }
    db->base.drv = &sqlite_driver;
    db->base.kind = DB_SQLITE;
    db->cur = &db->own;
    db->group = group;
    if (group && !group_commit_writer(group) && !open_writer(group, err, errlen)) {
        conn_close(&db->own);
        free(db);
        return NULL;
    }
    if (group)
        group_member_init(&db->member);
    return &db->base;
}
