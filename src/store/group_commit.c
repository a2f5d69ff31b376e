#include "store/group_commit.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct group_commit {
    pthread_mutex_t write_lock;
    pthread_mutex_t lock;
    pthread_cond_t done;
    char wal_path[4200];
    int fd;                 /* the WAL file, opened on first use */
    uint64_t started;       /* fsyncs begun */
    uint64_t completed;     /* the last fsync finished */
    bool syncing, last_ok;
};

struct group_commit *group_commit_create(const char *db_path)
{
    struct group_commit *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    pthread_mutex_init(&g->write_lock, NULL);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->done, NULL);
    snprintf(g->wal_path, sizeof g->wal_path, "%s-wal", db_path);
    g->fd = -1;
    g->last_ok = true;
    return g;
}

void group_commit_destroy(struct group_commit *g)
{
    if (!g)
        return;
    if (g->fd >= 0)
        close(g->fd);
    pthread_cond_destroy(&g->done);
    pthread_mutex_destroy(&g->lock);
    pthread_mutex_destroy(&g->write_lock);
    free(g);
}

void group_commit_lock(struct group_commit *g)
{
    pthread_mutex_lock(&g->write_lock);
}

void group_commit_unlock(struct group_commit *g)
{
    pthread_mutex_unlock(&g->write_lock);
}

/* One fsync of the WAL file; fsync flushes the file's data whichever descriptor wrote it. */
static bool sync_wal(struct group_commit *g)
{
    struct stat now, held;
    /* the WAL is deleted when the last connection closes: follow a new file */
    if (g->fd >= 0 && (stat(g->wal_path, &now) != 0 || fstat(g->fd, &held) != 0 || now.st_ino != held.st_ino)) {
        close(g->fd);
        g->fd = -1;
    }
    if (g->fd < 0)
        g->fd = open(g->wal_path, O_RDONLY | O_CLOEXEC);
    return g->fd >= 0 && fdatasync(g->fd) == 0;
}

bool group_commit_wait(struct group_commit *g)
{
    pthread_mutex_lock(&g->lock);
    /* a sync already running may have started before our commit: we need the next one */
    uint64_t target = g->started + 1;
    bool ok = true;
    while (g->completed < target) {
        if (!g->syncing) {
            g->syncing = true;
            uint64_t n = ++g->started;
            pthread_mutex_unlock(&g->lock);
            bool synced = sync_wal(g);
            pthread_mutex_lock(&g->lock);
            g->completed = n;
            g->last_ok = synced;
            g->syncing = false;
            pthread_cond_broadcast(&g->done);
        } else {
            pthread_cond_wait(&g->done, &g->lock);
        }
    }
    ok = g->last_ok;
    pthread_mutex_unlock(&g->lock);
    return ok;
}
