/* The knowledge base's long-lived state in struct app: the search index (kb/index.h) and the
 * reading log (kb/stats.h), and how they stay in step with the database on every node: loaded
 * whole at start, updated by the request that changes an article (kb_reindex), and refreshed
 * from the database every couple of seconds by updated_at (kb_sync) so that edits made on other
 * nodes arrive too. */
#ifndef PARLEY_KB_KB_H
#define PARLEY_KB_KB_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/index.h"
#include "kb/stats.h"
#include "store/db.h"

/* How far back (seconds) each refresh looks before the previous one: covers transactions that
 * committed late and clock differences between nodes. */
#define KB_SYNC_OVERLAP 30

struct kb {
    struct kb_index *index;     /* owned */
    struct kb_stats *stats;     /* owned */
    pthread_mutex_t sync_lock;  /* one refresh at a time */
    int64_t synced_at;          /* when the last refresh started (epoch seconds) */
};

/* Makes the engine and loads every published article from db. NULL with the reason in err when
 * the database cannot be read. The caller frees it with kb_close. */
struct kb *kb_open(struct db *db, char *err, size_t errlen);
/* Writes the unflushed reading log to db (when not NULL) and frees kb (NULL is fine). */
void kb_close(struct kb *kb, struct db *db);
/* The periodic job: re-reads the articles changed since the last refresh (minus the overlap)
 * whose version the index does not have, and writes the reading log. Errors are logged. */
void kb_sync(struct kb *kb, struct db *db);
/* Brings article id's entry in the index up to date with db (after a change). */
enum err kb_reindex(struct kb *kb, struct db *db, int64_t id);

#endif
