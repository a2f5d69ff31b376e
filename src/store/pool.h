/* A pool of database connections shared by the worker threads: a thread borrows one per
 * request and gives it back, so each worker has its own connection while it works. */
#ifndef PARLEY_STORE_POOL_H
#define PARLEY_STORE_POOL_H
#include "store/db.h"

struct db_pool;

/* Creates a pool that opens connections to url (or SQLite in data_dir) on demand; it checks
 * that one connection opens. NULL with err filled on failure. The caller owns the pool. */
struct db_pool *db_pool_create(const char *url, const char *data_dir, char *err, size_t errlen);
/* Borrows a connection (opening a new one when none is idle); NULL when it cannot connect. */
struct db *db_pool_acquire(struct db_pool *pool);
/* Gives a connection back; a broken one is closed instead of kept. */
void db_pool_release(struct db_pool *pool, struct db *db);
/* Closes every idle connection and frees the pool; all connections must have been released. */
void db_pool_destroy(struct db_pool *pool);

#endif
