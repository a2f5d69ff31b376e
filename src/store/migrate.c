#include <stdio.h>
#include <stdlib.h>

#include "store/migrations.h"
#include "util/timeutil.h"

static int is_applied(struct db *db, int version, bool *applied)
{
    struct db_stmt *st = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = $1", "i", (int64_t)version);
    if (!st)
        return DB_ERROR;
    int rc = db_step(st);
    db_finalize(st);
    if (rc < 0)
        return rc;
    *applied = rc == DB_ROW;
    return DB_DONE;
}

static int apply_one(struct db *db, const struct migration *m, int *count)
{
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    bool done = false;
    if ((rc = db_lock(db, DB_LOCK_SCHEMA)) < 0 || (rc = is_applied(db, m->version, &done)) < 0 || done)
        goto finish;
    char *sql = db_ddl(db, m->sql);
    rc = db_exec(db, sql);
    free(sql);
    if (rc < 0)
        goto finish;
    rc = db_run(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                "iti", (int64_t)m->version, m->name, time_now());
    if (rc >= 0)
        (*count)++;
finish:
    if (rc < 0) {
        char msg[sizeof db->errmsg];
        snprintf(msg, sizeof msg, "migration %.40s: %.200s", m->name, db->errmsg);
        db_rollback(db);
        snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
        return rc;
    }
    return db_commit(db);
}

int migrate_apply(struct db *db, int *applied)
{
    int count = 0;
    int rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    for (const struct migration *m = migrations; rc >= 0 && m->version; m++)
        rc = apply_one(db, m, &count);
    if (applied)
        *applied = count;
    return rc < 0 ? rc : DB_DONE;
}
