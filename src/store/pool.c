#include "store/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/group_commit.h"
#include "util/log.h"

#define POOL_IDLE_MAX 64

struct db_pool {
    pthread_mutex_t lock;
    char *url, *data_dir;
    struct group_commit *group;     /* SQLite: commits of all connections share fsyncs */
    struct db *idle[POOL_IDLE_MAX];
    int nidle;
};

static char *dup_opt(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        abort();
    return p;
}

struct db_pool *db_pool_create(const char *url, const char *data_dir, char *err, size_t errlen)
{
    struct group_commit *group = NULL;
    if (!db_is_postgres_url(url)) {
        char path[4096];
        db_sqlite_path(url, data_dir, path, sizeof path);
        group = group_commit_create(path);
    }
    struct db *first = db_open_grouped(url, data_dir, group, err, errlen);
    if (!first) {
        group_commit_destroy(group);
        return NULL;
    }
    struct db_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        abort();
    pthread_mutex_init(&pool->lock, NULL);
    pool->url = dup_opt(url);
    pool->data_dir = dup_opt(data_dir);
    pool->group = group;
    pool->idle[pool->nidle++] = first;
    return pool;
}

struct db *db_pool_acquire(struct db_pool *pool)
{
    struct db *db = NULL;
    pthread_mutex_lock(&pool->lock);
    if (pool->nidle > 0)
        db = pool->idle[--pool->nidle];
    pthread_mutex_unlock(&pool->lock);
    if (db)
        return db;
    char err[256];
    db = db_open_grouped(pool->url, pool->data_dir, pool->group, err, sizeof err);
    if (!db)
        log_error("database: %s", err);
    return db;
}

void db_pool_release(struct db_pool *pool, struct db *db)
{
    if (!db)
        return;
    if (db_in_transaction(db)) {
        /* a transaction left open would block every other writer: end it, and say so */
        log_error("database: a transaction was left open; rolled back (%s)", db_errmsg(db));
        while (db_in_transaction(db) && db_rollback(db) >= 0)
            ;
    }
    if (db_healthy(db)) {
        pthread_mutex_lock(&pool->lock);
        if (pool->nidle < POOL_IDLE_MAX) {
            pool->idle[pool->nidle++] = db;
            db = NULL;
        }
        pthread_mutex_unlock(&pool->lock);
    }
    db_close(db);
}

void db_pool_destroy(struct db_pool *pool)
{
    if (!pool)
        return;
    for (int i = 0; i < pool->nidle; i++)
        db_close(pool->idle[i]);
    pthread_mutex_destroy(&pool->lock);
    group_commit_destroy(pool->group);
    free(pool->url);
    free(pool->data_dir);
    free(pool);
}
