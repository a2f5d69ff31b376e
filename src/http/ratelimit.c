#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/strhash.h"

#define SLOTS 4096
#define KEY_MAX 96

struct counter {
    struct counter *next;
    char key[KEY_MAX];
    int64_t window;
    int hits;
};

struct ratelimit {
    pthread_mutex_t lock;
    struct counter *slots[SLOTS];
    int64_t last_sweep;
};

struct ratelimit *ratelimit_create(void)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        abort();
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void ratelimit_destroy(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < SLOTS; i++) {
        for (struct counter *c = rl->slots[i], *next; c; c = next) {
            next = c->next;
            free(c);
        }
    }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* Drops counters of past windows; called at most once a window, under the lock. */
static void sweep(struct ratelimit *rl, int64_t window)
{
    for (int i = 0; i < SLOTS; i++) {
        struct counter **pp = &rl->slots[i];
        while (*pp) {
            if ((*pp)->window < window) {
                struct counter *dead = *pp;
                *pp = dead->next;
                free(dead);
            } else {
                pp = &(*pp)->next;
            }
        }
    }
    rl->last_sweep = window;
}

static int memory_hit(struct ratelimit *rl, const char *bucket, int64_t window)
{
    pthread_mutex_lock(&rl->lock);
    if (rl->last_sweep < window)
        sweep(rl, window);
    unsigned h = str_hash(bucket) % SLOTS;
    struct counter *c = rl->slots[h];
    while (c && strncmp(c->key, bucket, KEY_MAX - 1) != 0)
        c = c->next;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            abort();
        strncpy(c->key, bucket, KEY_MAX - 1);
        c->window = window;
        c->next = rl->slots[h];
        rl->slots[h] = c;
    }
    if (c->window != window) {
        c->window = window;
        c->hits = 0;
    }
    int hits = ++c->hits;
    pthread_mutex_unlock(&rl->lock);
    return hits;
}

/* One atomic upsert per hit; the old windows are cleared now and then by the same statement's caller. */
static int db_hit(struct db *db, const char *bucket, int64_t window)
{
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO rate_windows (bucket, window_start, hits) VALUES ($1, $2, 1)"
                                  " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_windows.hits + 1"
                                  " RETURNING hits",
                                  "ti", bucket, window);
    int rc = st ? db_step(st) : DB_ERROR;
    int hits = rc == DB_ROW ? (int)db_col_int(st, 0) : -1;
    db_finalize(st);
    if (hits == 1) /* the first hit of a bucket's window clears that bucket's older windows */
        db_run(db, "DELETE FROM rate_windows WHERE bucket = $1 AND window_start < $2", "ti", bucket, window);
    return hits;
}

bool ratelimit_hit(struct ratelimit *rl, struct db *db, const char *bucket, int limit, int64_t now,
                   struct rate_result *out)
{
    int64_t window = now - now % RATE_WINDOW_SECONDS;
    int hits = db && db->kind == DB_POSTGRES ? db_hit(db, bucket, window) : memory_hit(rl, bucket, window);
    out->limit = limit;
    out->reset = (int)(window + RATE_WINDOW_SECONDS - now);
    if (hits < 0) {
        out->allowed = true;
        out->remaining = limit;
        return false;
    }
    out->allowed = hits <= limit;
    out->remaining = hits >= limit ? 0 : limit - hits;
    return true;
}
