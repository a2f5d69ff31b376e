#include "store/db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/driver.h"
#include "util/strbuf.h"

static bool is_pg_url(const char *url)
{
    return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

bool db_is_postgres_url(const char *url)
{
    return is_pg_url(url);
}

struct db *db_open(const char *url, const char *data_dir, char *err, size_t errlen)
{
    return db_open_grouped(url, data_dir, NULL, err, errlen);
}

void db_sqlite_path(const char *url, const char *data_dir, char *out, size_t cap)
{
    if (url && strncmp(url, "sqlite:", 7) == 0)
        snprintf(out, cap, "%s", url + 7);
    else
        snprintf(out, cap, "%s/parley.db", data_dir && *data_dir ? data_dir : "parley-data");
}

struct db *db_open_grouped(const char *url, const char *data_dir, struct group_commit *group, char *err,
                           size_t errlen)
{
    if (is_pg_url(url))
        return pg_driver_open(url, err, errlen);
    if (url && *url && strncmp(url, "sqlite:", 7) != 0) {
        snprintf(err, errlen, "unsupported database URL (use postgres://… or leave it empty for SQLite)");
        return NULL;
    }
    const char *dir = data_dir && *data_dir ? data_dir : "parley-data";
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create data folder %s: %s", dir, strerror(errno));
        return NULL;
    }
    char path[4096];
    db_sqlite_path(url, dir, path, sizeof path);
    return sqlite_driver_open(path, group, err, errlen);
}

void db_close(struct db *db)
{
    if (db)
        db->drv->close(db);
}

bool db_healthy(struct db *db) { return db->drv->healthy(db); }
struct db_stmt *db_prepare(struct db *db, const char *sql) { return db->drv->prepare(db, sql); }
int db_bind_int(struct db_stmt *st, int idx, int64_t v) { return st->db->drv->bind_int(st, idx, v); }
int db_bind_double(struct db_stmt *st, int idx, double v) { return st->db->drv->bind_double(st, idx, v); }
int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
    return s ? st->db->drv->bind_text(st, idx, s) : st->db->drv->bind_null(st, idx);
}
int db_bind_null(struct db_stmt *st, int idx) { return st->db->drv->bind_null(st, idx); }
int db_step(struct db_stmt *st) { return st->db->drv->step(st); }
int db_reset(struct db_stmt *st) { return st->db->drv->reset(st); }
int db_column_count(struct db_stmt *st) { return st->db->drv->column_count(st); }
bool db_col_null(struct db_stmt *st, int col) { return st->db->drv->col_null(st, col); }
int64_t db_col_int(struct db_stmt *st, int col) { return st->db->drv->col_int(st, col); }
double db_col_double(struct db_stmt *st, int col) { return st->db->drv->col_double(st, col); }
const char *db_col_text(struct db_stmt *st, int col) { return st->db->drv->col_text(st, col); }
int db_exec(struct db *db, const char *sql) { return db->drv->exec(db, sql); }
bool db_in_transaction(struct db *db) { return db->depth > 0 || db->drv->in_transaction(db); }

int db_begin(struct db *db)
{
    int rc = db->depth > 0 ? db->drv->exec(db, "SAVEPOINT nested") : db->drv->begin(db);
    if (rc >= 0)
        db->depth++;
    return rc;
}

int db_commit(struct db *db)
{
    if (db->depth > 1) {
        db->depth--;
        return db->drv->exec(db, "RELEASE SAVEPOINT nested");
    }
    db->depth = 0;
    return db->drv->commit(db);
}
int db_lock(struct db *db, enum db_lock_name name) { return db->drv->lock(db, (int)name); }
const char *db_errmsg(struct db *db) { return db->errmsg; }

void db_finalize(struct db_stmt *st)
{
    if (st)
        st->db->drv->finalize(st);
}

int db_rollback(struct db *db)
{
    /* keep the error that made the caller roll back */
    char saved[sizeof db->errmsg];
    memcpy(saved, db->errmsg, sizeof saved);
    int rc;
    if (db->depth > 1) {
        db->depth--;
        if ((rc = db->drv->exec(db, "ROLLBACK TO SAVEPOINT nested")) >= 0)
            rc = db->drv->exec(db, "RELEASE SAVEPOINT nested");
    } else {
        db->depth = 0;
        rc = db->drv->rollback(db);
    }
    memcpy(db->errmsg, saved, sizeof saved);
    return rc;
}

char *db_ddl(struct db *db, const char *sql)
{
    static const char *const tokens[] = {"@ID@", "@BLOB@"};
    const char *repl[] = {db->drv->id_type, db->drv->blob_type};
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (const char *p = sql; *p;) {
        size_t i;
        for (i = 0; i < 2; i++) {
            size_t n = strlen(tokens[i]);
            if (strncmp(p, tokens[i], n) == 0) {
                strbuf_adds(&sb, repl[i]);
                p += n;
                break;
            }
        }
        if (i == 2)
            strbuf_addc(&sb, *p++);
    }
    return strbuf_take(&sb, NULL);
}

static struct db_stmt *vquery(struct db *db, const char *sql, const char *fmt, va_list ap)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st)
        return NULL;
    int rc = 0, given = fmt ? (int)strlen(fmt) : 0, wanted = db->drv->param_count(st);
    if (given != wanted) {
        /* a programming error: the arguments do not match the statement */
        snprintf(db->errmsg, sizeof db->errmsg, "db_query: %d arguments for %d parameters in: %.120s", given, wanted, sql);
        db_finalize(st);
        return NULL;
    }
    for (int i = 0; fmt && fmt[i] && rc >= 0; i++) {
        switch (fmt[i]) {
        case 'i': rc = db_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
        case 'd': rc = db_bind_double(st, i + 1, va_arg(ap, double)); break;
        case 't': rc = db_bind_text(st, i + 1, va_arg(ap, const char *)); break;
        case 'n': rc = db_bind_null(st, i + 1); break;
        default:
            snprintf(db->errmsg, sizeof db->errmsg, "db_query: bad format character '%c'", fmt[i]);
            rc = DB_ERROR;
        }
    }
    if (rc < 0) {
        db_finalize(st);
        return NULL;
    }
    return st;
}

struct db_stmt *db_query(struct db *db, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct db_stmt *st = vquery(db, sql, fmt, ap);
    va_end(ap);
    return st;
}

int db_write(struct db *db, int (*fn)(struct db *db, void *arg), void *arg)
{
    int rc;
    if (db->drv->write && db->drv->write(db, fn, arg, &rc))
        return rc;
    if ((rc = db_begin(db)) < 0)
        return rc;
    rc = fn(db, arg);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int db_insert(struct db *db, int64_t *id, const char *sql, const char *fmt, ...)
{
    /* SQLite knows the last rowid (its RETURNING runs as a trigger: 25,000 instructions more
     * per row); PostgreSQL is asked with RETURNING id */
    struct strbuf returning;
    strbuf_init(&returning, 0);
    if (!db->drv->last_id) {
        strbuf_adds(&returning, sql);
        strbuf_adds(&returning, " RETURNING id");
        sql = returning.data;
    }
    va_list ap;
    va_start(ap, fmt);
    struct db_stmt *st = vquery(db, sql, fmt, ap);
    va_end(ap);
    strbuf_free(&returning);
    if (!st)
        return DB_ERROR;
    int rc = db_step(st);
    if (db->drv->last_id && rc == DB_DONE)
        *id = db->drv->last_id(db);
    else if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        rc = DB_DONE;
    } else if (rc >= 0)
        rc = DB_ERROR;
    db_finalize(st);
    return rc;
}

int db_run(struct db *db, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct db_stmt *st = vquery(db, sql, fmt, ap);
    va_end(ap);
    if (!st)
        return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        ;
    db_finalize(st);
    return rc;
}

static int add_arg(struct db_args *a, char kind)
{
    if (a->n >= DB_ARGS_MAX)
        abort();
    a->kind[a->n] = kind;
    return ++a->n;
}

int db_arg_int(struct db_args *a, int64_t v)
{
    int n = add_arg(a, 'i');
    a->ints[n - 1] = v;
    return n;
}

int db_arg_text(struct db_args *a, const char *s)
{
    int n = add_arg(a, 't');
    a->texts[n - 1] = s;
    return n;
}

struct db_stmt *db_query_args(struct db *db, const char *sql, const struct db_args *a)
{
    struct db_stmt *st = db_prepare(db, sql);
    int rc = 0;
    for (int i = 0; st && i < a->n && rc >= 0; i++)
        rc = a->kind[i] == 'i' ? db_bind_int(st, i + 1, a->ints[i]) : db_bind_text(st, i + 1, a->texts[i]);
    if (rc < 0) {
        db_finalize(st);
        return NULL;
    }
    return st;
}
