#include "store/group_commit.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct group_commit {
    pthread_mutex_t write_lock;
    pthread_mutex_t lock;           /* guards everything below but fd */
    pthread_cond_t work;            /* the committer waits here for an open batch */
    pthread_cond_t turn;            /* writers wait here while the committer wants the lock */
    pthread_t committer;
    bool stopping;
    bool committing;                /* the committer waits for the write lock: writers hold back */
    pthread_t owner;                /* holds write_lock when has_owner */
    bool has_owner;
    bool open;                      /* a batch transaction is open on the writer */
    struct group_member *members;   /* of the open batch */
    struct group_job *jobs;         /* queued for the committer, newest first */
    void *writer;
    const struct group_writer_ops *ops;
    char db_path[4096];
    char wal_path[4200];
    int fd;                         /* the WAL file, opened on first use (committer only) */
};

void group_member_init(struct group_member *m)
{
    m->next = NULL;
    m->durable = true;
    m->ok = false;
    sem_init(&m->woken, 0, 0);
}

void group_member_destroy(struct group_member *m) { sem_destroy(&m->woken); }

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

/* Splits a batch's members into those that wait for the disk and those that do not. */
static void split(struct group_member *members, struct group_member **durable, struct group_member **visible)
{
    *durable = *visible = NULL;
    for (struct group_member *m = members, *next; m; m = next) {
        next = m->next;
        struct group_member **to = m->durable ? durable : visible;
        m->next = *to;
        *to = m;
    }
}

/* Wakes the members of a list with ok. */
static void wake(struct group_member *members, bool ok)
{
    for (struct group_member *m = members, *next; m; m = next) {
        next = m->next; /* m may be reused as soon as it is woken */
        m->ok = ok;
        sem_post(&m->woken);
    }
}

/* The queued jobs, oldest first; g->lock held. */
static struct group_job *take_jobs(struct group_commit *g)
{
    struct group_job *oldest = NULL;
    for (struct group_job *j = g->jobs, *next; j; j = next) {
        next = j->next;
        j->next = oldest;
        oldest = j;
    }
    g->jobs = NULL;
    return oldest;
}

/* Commits the open batch: waits for the write lock (writers hold back meanwhile), runs the
 * queued jobs, COMMIT, hands the lock on, then wakes the members that only wait for the
 * COMMIT, syncs the WAL and wakes the rest. Called with g->lock held; returns with it held. */
static void commit_batch(struct group_commit *g)
{
    g->committing = true;
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_lock(&g->write_lock);
    pthread_mutex_lock(&g->lock);
    g->committing = false;
    pthread_cond_broadcast(&g->turn);
    struct group_member *members = g->members;
    struct group_job *jobs = take_jobs(g);
    bool open = g->open;
    g->members = NULL;
    g->open = false;
    pthread_mutex_unlock(&g->lock);
    bool ok = !jobs || g->ops->run_jobs(g->writer, jobs, open);
    open = open || (jobs && ok);
    for (struct group_job *j = jobs, *next; j; j = next) {
        next = j->next;
        j->member.durable = true;
        j->member.next = members;
        members = &j->member;
    }
    ok = ok && (!open || g->ops->commit(g->writer));
    pthread_mutex_unlock(&g->write_lock);
    /* the next batch fills while this one goes to disk */
    struct group_member *durable, *visible;
    split(members, &durable, &visible);
    wake(visible, ok);
    wake(durable, ok && durable && sync_wal(g));
    pthread_mutex_lock(&g->lock);
}

static void *committer_main(void *arg)
{
    struct group_commit *g = arg;
    pthread_mutex_lock(&g->lock);
    for (;;) {
        while (!g->open && !g->jobs && !g->stopping)
            pthread_cond_wait(&g->work, &g->lock);
        if (!g->open && !g->jobs)
            break;
        commit_batch(g);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct group_commit *group_commit_create(const char *db_path)
{
    struct group_commit *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    pthread_mutex_init(&g->write_lock, NULL);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->work, NULL);
    pthread_cond_init(&g->turn, NULL);
    snprintf(g->db_path, sizeof g->db_path, "%s", db_path);
    snprintf(g->wal_path, sizeof g->wal_path, "%s-wal", db_path);
    g->fd = -1;
    if (pthread_create(&g->committer, NULL, committer_main, g) != 0)
        abort();
    return g;
}

void group_commit_destroy(struct group_commit *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->committer, NULL);
    if (g->writer)
        g->ops->close(g->writer);
    if (g->fd >= 0)
        close(g->fd);
    pthread_cond_destroy(&g->turn);
    pthread_cond_destroy(&g->work);
    pthread_mutex_destroy(&g->lock);
    pthread_mutex_destroy(&g->write_lock);
    free(g);
}

const char *group_commit_path(const struct group_commit *g) { return g->db_path; }

/* True when the calling thread holds the write lock; g->lock held. */
static bool held_here(const struct group_commit *g) { return g->has_owner && pthread_equal(g->owner, pthread_self()); }

int group_commit_enter(struct group_commit *g)
{
    pthread_mutex_lock(&g->lock);
    if (held_here(g)) {
        pthread_mutex_unlock(&g->lock);
        return -1;
    }
    /* the committer goes first: a stream of writers must not keep the batch from committing */
    while (g->committing)
        pthread_cond_wait(&g->turn, &g->lock);
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_lock(&g->write_lock);
    pthread_mutex_lock(&g->lock);
    g->owner = pthread_self();
    g->has_owner = true;
    int joined = g->open ? 1 : 0;
    pthread_mutex_unlock(&g->lock);
    return joined;
}

void group_commit_leave(struct group_commit *g, struct group_member *m)
{
    pthread_mutex_lock(&g->lock);
    if (m) {
        m->next = g->members;
        g->members = m;
    }
    g->open = true;
    g->has_owner = false;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->write_lock);
    pthread_mutex_unlock(&g->lock);
}

void group_commit_fail(struct group_commit *g)
{
    pthread_mutex_lock(&g->lock);
    struct group_member *members = g->members;
    g->members = NULL;
    g->open = false;
    g->has_owner = false;
    pthread_mutex_unlock(&g->write_lock);
    pthread_mutex_unlock(&g->lock);
    wake(members, false);
}

int group_commit_run(struct group_commit *g, struct group_job *job)
{
    pthread_mutex_lock(&g->lock);
    if (held_here(g)) {
        pthread_mutex_unlock(&g->lock);
        return -1;
    }
    job->next = g->jobs;
    g->jobs = job;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->lock);
    return group_commit_wait(g, &job->member) ? 1 : 0;
}

bool group_commit_wait(struct group_commit *g, struct group_member *m)
{
    while (sem_wait(&m->woken) != 0)
        ; /* EINTR */
    return m->ok;
}

void *group_commit_writer(struct group_commit *g) { return g->writer; }

void group_commit_set_writer(struct group_commit *g, void *writer, const struct group_writer_ops *ops)
{
    g->writer = writer;
    g->ops = ops;
}
