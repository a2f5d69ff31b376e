#include "store/group_commit.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* a batch ends at this many members even when writers keep coming, bounding its latency */
#define BATCH_MAX 256

struct group_commit {
    pthread_mutex_t write_lock;
    pthread_mutex_t sync_lock;      /* one fsync at a time; guards fd and synced */
    pthread_mutex_t lock;           /* guards everything below but fd and synced */
    pthread_t owner;                /* holds write_lock when has_owner */
    bool has_owner;
    int waiting;                    /* threads queued on write_lock */
    bool open;                      /* a batch transaction is open on the writer */
    struct group_member *members;   /* of the open batch */
    int nmembers;
    void *writer;
    void (*close_writer)(void *);
    char db_path[4096];
    char wal_path[4200];
    uint64_t committed;             /* batches committed so far */
    int fd;                         /* the WAL file, opened on first use */
    uint64_t synced;                /* batches known to be on disk */
};

void group_member_init(struct group_member *m)
{
    m->next = NULL;
    m->ok = false;
    sem_init(&m->woken, 0, 0);
}

void group_member_destroy(struct group_member *m) { sem_destroy(&m->woken); }

struct group_commit *group_commit_create(const char *db_path)
{
    struct group_commit *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    pthread_mutex_init(&g->write_lock, NULL);
    pthread_mutex_init(&g->sync_lock, NULL);
    pthread_mutex_init(&g->lock, NULL);
    snprintf(g->db_path, sizeof g->db_path, "%s", db_path);
    snprintf(g->wal_path, sizeof g->wal_path, "%s-wal", db_path);
    g->fd = -1;
    return g;
}

void group_commit_destroy(struct group_commit *g)
{
    if (!g)
        return;
    if (g->writer)
        g->close_writer(g->writer);
    if (g->fd >= 0)
        close(g->fd);
    pthread_mutex_destroy(&g->sync_lock);
    pthread_mutex_destroy(&g->lock);
    pthread_mutex_destroy(&g->write_lock);
    free(g);
}

const char *group_commit_path(const struct group_commit *g) { return g->db_path; }

int group_commit_enter(struct group_commit *g)
{
    pthread_mutex_lock(&g->lock);
    if (g->has_owner && pthread_equal(g->owner, pthread_self())) {
        pthread_mutex_unlock(&g->lock);
        return -1;
    }
    g->waiting++;
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_lock(&g->write_lock);
    pthread_mutex_lock(&g->lock);
    g->waiting--;
    g->owner = pthread_self();
    g->has_owner = true;
    int joined = g->open ? 1 : 0;
    pthread_mutex_unlock(&g->lock);
    return joined;
}

/* Gives the write lock up; g->lock held. */
static void release_write_lock(struct group_commit *g)
{
    g->has_owner = false;
    pthread_mutex_unlock(&g->write_lock);
}

bool group_commit_leave(struct group_commit *g, struct group_member *m)
{
    pthread_mutex_lock(&g->lock);
    if (m) {
        m->next = g->members;
        g->members = m;
        g->nmembers++;
    }
    bool end_now = g->waiting == 0 || g->nmembers >= BATCH_MAX;
    if (!end_now) {
        g->open = true;
        release_write_lock(g);
    }
    pthread_mutex_unlock(&g->lock);
    return end_now;
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

/* Returns once batch number batch is on disk: by an fsync begun after it committed, ours or
 * another writer's that covered it. */
static bool sync_through(struct group_commit *g, uint64_t batch)
{
    bool ok = true;
    pthread_mutex_lock(&g->sync_lock);
    if (g->synced < batch) {
        pthread_mutex_lock(&g->lock);
        uint64_t upto = g->committed;
        pthread_mutex_unlock(&g->lock);
        if ((ok = sync_wal(g)))
            g->synced = upto;
    }
    pthread_mutex_unlock(&g->sync_lock);
    return ok;
}

void group_commit_end(struct group_commit *g, bool ok)
{
    pthread_mutex_lock(&g->lock);
    struct group_member *members = g->members;
    uint64_t batch = ok ? ++g->committed : 0;
    g->members = NULL;
    g->nmembers = 0;
    g->open = false;
    release_write_lock(g);
    pthread_mutex_unlock(&g->lock);
    /* the next batch fills while this one goes to disk */
    bool on_disk = members && ok && sync_through(g, batch);
    for (struct group_member *m = members, *next; m; m = next) {
        next = m->next; /* m may be reused as soon as it is woken */
        m->ok = on_disk;
        sem_post(&m->woken);
    }
}

bool group_commit_wait(struct group_commit *g, struct group_member *m)
{
    while (sem_wait(&m->woken) != 0)
        ; /* EINTR */
    return m->ok;
}

void *group_commit_writer(struct group_commit *g) { return g->writer; }

void group_commit_set_writer(struct group_commit *g, void *writer, void (*close_writer)(void *))
{
    g->writer = writer;
    g->close_writer = close_writer;
}
