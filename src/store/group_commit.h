/* Group commit for SQLite. The write transactions of all connections of a pool run one after
 * another on one shared writer connection, each inside its own savepoint of a batch
 * transaction. Writers never commit: a committer thread commits the open batch (without
 * waiting for the disk, synchronous=NORMAL), syncs the WAL and wakes each member. While it
 * waits for the disk, the next batch fills, so under load one COMMIT and one fsync serve
 * every writer that came during the previous fsync, and an acknowledged write is still on disk. */
#ifndef PARLEY_STORE_GROUP_COMMIT_H
#define PARLEY_STORE_GROUP_COMMIT_H
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

struct group_commit;

/* One writer's place in a batch (one per connection: group_member_init, _destroy). */
struct group_member {
    struct group_member *next;
    sem_t woken;            /* posted once its batch is committed (and on disk when durable), or lost */
    bool durable;           /* wait for the fsync, not only for the COMMIT */
    bool ok;
};

/* A write the committer thread runs itself, in the batch on the writer connection: no hand-off
 * of the write lock between threads. The driver embeds it in its own job. */
struct group_job {
    struct group_member member;     /* woken once the batch is on disk, or lost */
    struct group_job *next;
};

/* Readies a member. */
void group_member_init(struct group_member *m);
/* Frees what a member holds (it may not be waiting). */
void group_member_destroy(struct group_member *m);

/* Creates the group for the database file at db_path (its WAL is db_path-wal) and starts its
 * committer thread. */
struct group_commit *group_commit_create(const char *db_path);
/* Commits what is still open, stops the committer and closes the writer (no writer inside). */
void group_commit_destroy(struct group_commit *g);
/* The database file's path. */
const char *group_commit_path(const struct group_commit *g);
/* Takes the write lock, writers queueing in turn. Returns 1 when a batch transaction is open on
 * the writer connection (join it), 0 when the caller must BEGIN one, -1 when the calling thread
 * already holds the lock (a second connection writing from inside a transaction). */
int group_commit_enter(struct group_commit *g);
/* With the lock held, after the caller's savepoint ended: m (NULL when the caller wrote
 * nothing to keep) joins the batch, which stays open for the next writer and the committer;
 * the lock is handed on. */
void group_commit_leave(struct group_commit *g, struct group_member *m);
/* With the lock held, when the batch was lost (SQLite rolled it back, or BEGIN failed): wakes
 * its members with failure and releases the lock. */
void group_commit_fail(struct group_commit *g);
/* Queues job for the committer (its member readied by the caller) and returns once it ran
 * and its batch is on disk (1), or the batch was lost (0); -1 at once when the calling thread
 * holds the write lock (the committer could never take it). */
int group_commit_run(struct group_commit *g, struct group_job *job);
/* Returns once m's batch has committed (and reached the disk when m is durable); false when
 * the batch was lost or the fsync failed. */
bool group_commit_wait(struct group_commit *g, struct group_member *m);
/* The writer connection shared by the group, NULL until set (only with the lock held). */
void *group_commit_writer(struct group_commit *g);
/* What the committer does with the writer connection. */
struct group_writer_ops {
    /* runs queued jobs, oldest first, in the batch (BEGIN first unless open); false when the
     * batch was lost */
    bool (*run_jobs)(void *writer, struct group_job *jobs, bool open);
    bool (*commit)(void *writer);       /* commits the batch; false: failed, rolled back */
    void (*close)(void *writer);        /* at destroy */
};

/* Sets the writer connection and what the committer does with it (before any writer). */
void group_commit_set_writer(struct group_commit *g, void *writer, const struct group_writer_ops *ops);

#endif
