/* Group commit for SQLite: connections of one pool commit without waiting for the disk
 * (synchronous=NORMAL), then wait for one fsync of the WAL file that started after their
 * commit. Concurrent writers share each fsync, and an acknowledged write is still on disk. */
#ifndef PARLEY_STORE_GROUP_COMMIT_H
#define PARLEY_STORE_GROUP_COMMIT_H
#include <stdbool.h>

struct group_commit;

/* Creates the group for the database file at db_path (its WAL is db_path-wal). */
struct group_commit *group_commit_create(const char *db_path);
/* Frees the group (no commit may be waiting). */
void group_commit_destroy(struct group_commit *g);
/* Takes the group's write lock: writers queue here in order instead of sleeping in SQLite's
 * busy handler. Held from BEGIN to COMMIT or ROLLBACK (not while waiting for the disk). */
void group_commit_lock(struct group_commit *g);
/* Releases the write lock. */
void group_commit_unlock(struct group_commit *g);
/* Returns once everything committed before the call is on disk; false when fsync failed. */
bool group_commit_wait(struct group_commit *g);

#endif
