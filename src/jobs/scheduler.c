#include "jobs/scheduler.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "assist/assist.h"
#include "audit/audit.h"
#include "events/bus.h"
#include "kb/kb.h"
#include "store/pool.h"
#include "tickets/reminders.h"
#include "util/log.h"
#include "util/timeutil.h"

#define TICK_SECONDS 2

struct scheduler {
    struct app *app;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stopping;
};

/* Tells each assignee about their reminders that came due. */
static void announce_reminders(struct app *app, struct db *db)
{
    json_t *due = reminders_claim_due(db, time_now());
    if (!due) {
        log_error("reminders: %s", db_errmsg(db));
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(due, i, r) {
        struct bus_audience to = {.only_user_id = json_integer_value(json_object_get(r, "assignee_id")),
                                  .staff_only = true};
        bus_publish(app->bus, "reminder.due", &to, r, NULL);
    }
    json_decref(due);
}

/* Links the audit entries committed since the last tick into the chain (PostgreSQL). */
static void link_audit_entries(struct db *db)
{
    int64_t linked;
    if (db->kind == DB_POSTGRES && audit_chain(db, &linked) < 0)
        log_error("audit chain: %s", db_errmsg(db));
}

static void *run(void *arg)
{
    struct scheduler *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->lock);
        struct db *db = db_pool_acquire(s->app->pool);
        if (db) {
            link_audit_entries(db);
            announce_reminders(s->app, db);
            kb_sync(s->app->kb, db);
            assist_tick(s->app->assist, db, s->app->bus);
        }
        db_pool_release(s->app->pool, db);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += TICK_SECONDS;
        if (!s->stopping)
            pthread_cond_timedwait(&s->cond, &s->lock, &until);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct scheduler *scheduler_start(struct app *app)
{
    struct scheduler *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_cond_destroy(&s->cond);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

void scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
