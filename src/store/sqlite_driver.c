/* SQLite driver: WAL, foreign keys, busy timeout, durable commits (synchronous=FULL, or a
 * group commit's shared fsync). Parameters $N are bound by name, never by position. Prepared
 * statements are kept per connection and reused when the same SQL comes again. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "store/group_commit.h"

#define CACHE_SLOTS 256
#define MAX_PARAMS 64

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *h;
    char *sql;                      /* set when the statement lives in the cache */
    unsigned hash;
    bool in_use;
    int nparams;
    int index[MAX_PARAMS + 1];      /* SQLite's index of "$N" (SQLite numbers by first appearance) */
};

struct sq_db {
    struct db base;
    sqlite3 *h;
    struct group_commit *group;     /* NULL: synchronous=FULL */
    bool writing;                   /* holds the group's write lock */
    struct sq_stmt *cache[CACHE_SLOTS];
    int ncached;
};

#define SQ(db) ((struct sq_db *)(db))
#define ST(st) ((struct sq_stmt *)(st))

static int fail(struct db *db, int rc)
{
    snprintf(db->errmsg, sizeof db->errmsg, "%s", sqlite3_errmsg(SQ(db)->h));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
}

static void sq_close(struct db *db)
{
    if (SQ(db)->writing)
        group_commit_unlock(SQ(db)->group);
    for (int i = 0; i < SQ(db)->ncached; i++) {
        sqlite3_finalize(SQ(db)->cache[i]->h);
        free(SQ(db)->cache[i]->sql);
        free(SQ(db)->cache[i]);
    }
    sqlite3_close_v2(SQ(db)->h);
    free(db);
}

static bool sq_healthy(struct db *db) { return true; }

static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
    struct sq_db *c = SQ(db);
    unsigned hash = hash_sql(sql);
    for (int i = 0; i < c->ncached; i++) {
        struct sq_stmt *st = c->cache[i];
        if (!st->in_use && st->hash == hash && strcmp(st->sql, sql) == 0) {
            st->in_use = true;
            return &st->base;
        }
    }
    sqlite3_stmt *h;
    int rc = sqlite3_prepare_v2(c->h, sql, -1, &h, NULL);
    if (rc != SQLITE_OK) {
        fail(db, rc);
        return NULL;
    }
    struct sq_stmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->base.db = db;
    st->h = h;
    st->hash = hash;
    st->in_use = true;
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
    if (ST(st)->sql) {
        /* back into the cache, ready for the next use */
        sqlite3_reset(ST(st)->h);
        sqlite3_clear_bindings(ST(st)->h);
        ST(st)->in_use = false;
        return;
    }
    sqlite3_finalize(ST(st)->h);
    free(st);
}

static int sq_exec(struct db *db, const char *sql)
{
    int rc = sqlite3_exec(SQ(db)->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? DB_DONE : fail(db, rc);
}

/* IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock. */
static int sq_begin(struct db *db)
{
    struct sq_db *s = SQ(db);
    if (s->group && !s->writing) {
        group_commit_lock(s->group);
        s->writing = true;
    }
    int rc = sq_exec(db, "BEGIN IMMEDIATE");
    if (rc < 0 && s->writing) {
        s->writing = false;
        group_commit_unlock(s->group);
    }
    return rc;
}

/* Ends a transaction with sql (COMMIT or ROLLBACK) and lets the next writer in. */
static int end_transaction(struct db *db, const char *sql)
{
    struct sq_db *s = SQ(db);
    int rc = sq_exec(db, sql);
    if (s->writing && sqlite3_get_autocommit(s->h)) {
        s->writing = false;
        group_commit_unlock(s->group);
    }
    return rc;
}

static int sq_rollback(struct db *db) { return end_transaction(db, "ROLLBACK"); }
static bool sq_in_transaction(struct db *db) { return !sqlite3_get_autocommit(SQ(db)->h); }
static int sq_commit(struct db *db)
{
    int rc = end_transaction(db, "COMMIT");
    if (rc == DB_DONE && SQ(db)->group && !group_commit_wait(SQ(db)->group)) {
        snprintf(db->errmsg, sizeof db->errmsg, "could not sync the write-ahead log to disk");
        return DB_ERROR;
    }
    return rc;
}

static int64_t sq_last_id(struct db *db) { return sqlite3_last_insert_rowid(SQ(db)->h); }
static int sq_lock(struct db *db, int name) { return DB_DONE; /* BEGIN IMMEDIATE already serialises */ }

static const struct db_driver sqlite_driver = {
    .close = sq_close, .healthy = sq_healthy, .prepare = sq_prepare,
    .bind_int = sq_bind_int, .bind_double = sq_bind_double, .bind_text = sq_bind_text,
    .bind_null = sq_bind_null, .param_count = sq_param_count, .step = sq_step, .reset = sq_reset,
    .column_count = sq_column_count, .col_null = sq_col_null, .col_int = sq_col_int,
    .col_double = sq_col_double, .col_text = sq_col_text, .finalize = sq_finalize,
    .exec = sq_exec, .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback, .in_transaction = sq_in_transaction, .last_id = sq_last_id, .lock = sq_lock,
    .id_type = "INTEGER PRIMARY KEY AUTOINCREMENT", .blob_type = "BLOB",
};

struct db *sqlite_driver_open(const char *path, struct group_commit *group, char *err, size_t errlen)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    /* with a group, commit() waits for the group's fsync of the WAL instead */
    const char *setup = group ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                                "PRAGMA temp_store=MEMORY;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                                "PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(h, setup, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot set up %s: %s", path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close_v2(h);
        return NULL;
    }
    struct sq_db *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.drv = &sqlite_driver;
    db->base.kind = DB_SQLITE;
    db->h = h;
    db->group = group;
    return &db->base;
}
