/* PostgreSQL driver over libpq: parameters are sent as text; each connection prepares a
 * statement the first time its SQL comes (PQprepare) and executes it by name after, so the
 * server parses and plans it once; a statement's result is fetched whole on the first step and
 * read row by row after. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "util/strhash.h"

#define PREPARED_MAX 512

/* A statement prepared on the connection as "parley_<index>". */
struct prepared {
    char *sql;
    uint32_t hash;
};

struct pg_db {
    struct db base;
    PGconn *conn;
    struct prepared prepared[PREPARED_MAX];
    int nprepared;
};
struct pg_stmt {
    struct db_stmt base;
    char *sql;
    int nparams;
    char **values;      /* nparams strings, NULL for SQL NULL */
    PGresult *res;
    int row, nrows;     /* row is the current row; -1 before the first */
    bool ran;
};

#define PG(db) ((struct pg_db *)(db))
#define ST(st) ((struct pg_stmt *)(st))

/* Maps a failed result to a db_status by its SQLSTATE class, keeping the message. */
static int result_fail(struct db *db, PGresult *res)
{
    const char *msg = PQresultErrorMessage(res);
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg && *msg ? msg : PQerrorMessage(PG(db)->conn));
    db->errmsg[strcspn(db->errmsg, "\n")] = 0;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && strncmp(state, "23", 2) == 0)
        return DB_CONSTRAINT;
    if (state && (strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0))
        return DB_BUSY;
    return DB_ERROR;
}

static void pg_close(struct db *db)
{
    PQfinish(PG(db)->conn);
    for (int i = 0; i < PG(db)->nprepared; i++)
        free(PG(db)->prepared[i].sql);
    free(db);
}

/* The name under which sql is prepared on the connection, preparing it on first use; false
 * when it cannot be (the cache is full, or the server refused: the caller sends it unnamed). */
static bool prepared_name(struct pg_db *db, const char *sql, int nparams, char name[24])
{
    uint32_t hash = str_hash(sql);
    for (int i = 0; i < db->nprepared; i++) {
        if (db->prepared[i].hash == hash && strcmp(db->prepared[i].sql, sql) == 0) {
            snprintf(name, 24, "parley_%d", i);
            return true;
        }
    }
    if (db->nprepared == PREPARED_MAX)
        return false;
    snprintf(name, 24, "parley_%d", db->nprepared);
    PGresult *res = PQprepare(db->conn, name, sql, nparams, NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok)
        return false;
    char *copy = strdup(sql);
    if (!copy)
        abort();
    db->prepared[db->nprepared++] = (struct prepared){copy, hash};
    return true;
}

static bool pg_healthy(struct db *db) { return PQstatus(PG(db)->conn) == CONNECTION_OK; }

/* The highest $N in sql outside quoted strings and identifiers. */
static int count_params(const char *sql)
{
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            int n = (int)strtol(p + 1, NULL, 10);
            if (n > max)
                max = n;
        }
    }
    return max;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
    struct pg_stmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->base.db = db;
    st->sql = strdup(sql);
    st->nparams = count_params(sql);
    st->values = calloc((size_t)st->nparams + 1, sizeof *st->values);
    if (!st->sql || !st->values)
        abort();
    st->row = -1;
    return &st->base;
}

static int set_value(struct db_stmt *st, int idx, char *v)
{
    if (idx < 1 || idx > ST(st)->nparams) {
        free(v);
        return DB_DONE;
    }
    free(ST(st)->values[idx - 1]);
    ST(st)->values[idx - 1] = v;
    return DB_DONE;
}

static char *dup_or_die(const char *s)
{
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

static int pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return set_value(st, idx, dup_or_die(buf));
}

static int pg_bind_double(struct db_stmt *st, int idx, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return set_value(st, idx, dup_or_die(buf));
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *s) { return set_value(st, idx, dup_or_die(s)); }
static int pg_bind_null(struct db_stmt *st, int idx) { return set_value(st, idx, NULL); }

static int pg_param_count(struct db_stmt *st) { return ST(st)->nparams; }

static int pg_step(struct db_stmt *st)
{
    struct pg_stmt *s = ST(st);
    if (!s->ran) {
        s->ran = true;
        struct pg_db *db = PG(st->db);
        const char *const *values = (const char *const *)s->values;
        char name[24];
        bool named = prepared_name(db, s->sql, s->nparams, name);
        s->res = named ? PQexecPrepared(db->conn, name, s->nparams, values, NULL, NULL, 0)
                       : PQexecParams(db->conn, s->sql, s->nparams, NULL, values, NULL, NULL, 0);
        const char *state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);
        if (named && state && strcmp(state, "0A000") == 0) {
            /* "cached plan must not change result type": a migration changed a table since */
            PQclear(s->res);
            s->res = PQexecParams(db->conn, s->sql, s->nparams, NULL, values, NULL, NULL, 0);
        }
        ExecStatusType status = PQresultStatus(s->res);
        if (status == PGRES_COMMAND_OK) {
            s->nrows = 0;
        } else if (status == PGRES_TUPLES_OK) {
            s->nrows = PQntuples(s->res);
        } else {
            int rc = result_fail(st->db, s->res);
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
    }
    if (!s->res)
        return DB_DONE;
    if (s->row + 1 < s->nrows) {
        s->row++;
        return DB_ROW;
    }
    return DB_DONE;
}

static int pg_reset(struct db_stmt *st)
{
    struct pg_stmt *s = ST(st);
    PQclear(s->res);
    s->res = NULL;
    s->ran = false;
    s->row = -1;
    s->nrows = 0;
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
    return DB_DONE;
}

static int pg_column_count(struct db_stmt *st) { return ST(st)->res ? PQnfields(ST(st)->res) : 0; }

static bool pg_col_null(struct db_stmt *st, int col)
{
    struct pg_stmt *s = ST(st);
    return !s->res || s->row < 0 || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
    return pg_col_null(st, col) ? NULL : PQgetvalue(ST(st)->res, ST(st)->row, col);
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
    const char *v = pg_col_text(st, col);
    if (!v)
        return 0;
    if (strcmp(v, "t") == 0)
        return 1;
    if (strcmp(v, "f") == 0)
        return 0;
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct db_stmt *st, int col)
{
    const char *v = pg_col_text(st, col);
    return v ? strtod(v, NULL) : 0;
}

static void pg_finalize(struct db_stmt *st)
{
    pg_reset(st);
    free(ST(st)->values);
    free(ST(st)->sql);
    free(st);
}

static int pg_exec(struct db *db, const char *sql)
{
    PGresult *res = PQexec(PG(db)->conn, sql);
    ExecStatusType status = PQresultStatus(res);
    int rc = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) ? DB_DONE : result_fail(db, res);
    PQclear(res);
    return rc;
}

static int pg_begin(struct db *db) { return pg_exec(db, "BEGIN"); }
static int pg_commit(struct db *db) { return pg_exec(db, "COMMIT"); }
static int pg_rollback(struct db *db) { return pg_exec(db, "ROLLBACK"); }
static bool pg_in_transaction(struct db *db) { return PQtransactionStatus(PG(db)->conn) != PQTRANS_IDLE; }

/* A transaction-scoped advisory lock in Parley's own key space (727572 = "PARL"). */
static int pg_lock(struct db *db, int name)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(727572, %d)", name);
    return pg_exec(db, sql);
}

static const struct db_driver pg_driver = {
    .close = pg_close, .healthy = pg_healthy, .prepare = pg_prepare,
    .bind_int = pg_bind_int, .bind_double = pg_bind_double, .bind_text = pg_bind_text,
    .bind_null = pg_bind_null, .param_count = pg_param_count, .step = pg_step, .reset = pg_reset,
    .column_count = pg_column_count, .col_null = pg_col_null, .col_int = pg_col_int,
    .col_double = pg_col_double, .col_text = pg_col_text, .finalize = pg_finalize,
    .exec = pg_exec, .begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback, .in_transaction = pg_in_transaction, .lock = pg_lock,
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", .blob_type = "BYTEA",
};

struct db *pg_driver_open(const char *url, char *err, size_t errlen)
{
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
        err[strcspn(err, "\n")] = 0;
        PQfinish(conn);
        return NULL;
    }
    struct pg_db *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.drv = &pg_driver;
    db->base.kind = DB_POSTGRES;
    db->conn = conn;
    if (pg_exec(&db->base, "SET client_min_messages = warning") != DB_DONE) {
        snprintf(err, errlen, "cannot set up PostgreSQL session: %s", db->base.errmsg);
        pg_close(&db->base);
        return NULL;
    }
    return &db->base;
}
