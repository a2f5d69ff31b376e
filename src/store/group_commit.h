/* Group commit for SQLite. The write transactions of all connections of a pool run one after
 * another on one shared writer connection, each inside its own savepoint of a batch
 * transaction. The batch commits when no other writer is waiting (or it is full), without
 * waiting for the disk (synchronous=NORMAL); the writer that committed it then syncs the WAL
 * (one fsync may cover several batches) and wakes each member, one by one. So a thousand small
 * writes cost one commit and one fsync, and an acknowledged write is still on disk. */
#ifndef PARLEY_STORE_GROUP_COMMIT_H
#define PARLEY_STORE_GROUP_COMMIT_H
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

struct group_commit;

/* One writer's place in a batch (one per connection: group_member_init, _destroy). */
struct group_member {
    struct group_member *next;
    sem_t woken;            /* posted once its batch is on disk, or lost */
    bool ok;
};

/* Readies a member. */
void group_member_init(struct group_member *m);
/* Frees what a member holds (it may not be waiting). */
void group_member_destroy(struct group_member *m);

/* Creates the group for the database file at db_path (its WAL is db_path-wal). */
struct group_commit *group_commit_create(const char *db_path);
/* Frees the group and closes its writer connection (no writer may be inside). */
void group_commit_destroy(struct group_commit *g);
/* The database file's path. */
const char *group_commit_path(const struct group_commit *g);
/* Takes the write lock, writers queueing in turn. Returns 1 when a batch transaction is open on
 * the writer connection (join it), 0 when the caller must BEGIN one, -1 when the calling thread
 * already holds the lock (a second connection writing from inside a transaction). */
int group_commit_enter(struct group_commit *g);
/* With the lock held, after the caller's savepoint ended; m (NULL when the caller wrote
 * nothing to keep) joins the batch. Returns true when the caller must now end the batch with
 * COMMIT and group_commit_end (nobody else waits for the lock, or the batch is full); false
 * when the lock was handed on and the batch stays open for the next writer. */
bool group_commit_leave(struct group_commit *g, struct group_member *m);
/* Records that the open batch committed (ok) or was lost and releases the lock; then, when
 * the batch has members, syncs the WAL and wakes them. Also the way out after a failed BEGIN. */
void group_commit_end(struct group_commit *g, bool ok);
/* Returns once m's batch has committed and reached the disk; false when the batch was lost or
 * the fsync failed. */
bool group_commit_wait(struct group_commit *g, struct group_member *m);
/* The writer connection shared by the group, NULL until set (only with the lock held). */
void *group_commit_writer(struct group_commit *g);
/* Sets the writer connection and the function that closes it at destroy (lock held). */
void group_commit_set_writer(struct group_commit *g, void *writer, void (*close_writer)(void *));

#endif
