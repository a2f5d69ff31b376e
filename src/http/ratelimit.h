/* Fixed-window rate limits per caller and route class (one-minute windows). On SQLite (one
 * node) the counters live in memory, shared by every worker thread; on PostgreSQL they live in
 * the rate_windows table so that every node counts against the same limit. */
#ifndef PARLEY_HTTP_RATELIMIT_H
#define PARLEY_HTTP_RATELIMIT_H
#include <stdbool.h>
#include <stdint.h>

struct db;
struct ratelimit;

#define RATE_WINDOW_SECONDS 60

/* What a limited request learns: whether it may go on, and the header values. */
struct rate_result {
    bool allowed;
    int limit, remaining;
    int reset;                  /* seconds until the window ends */
};

/* Creates the in-memory counters. */
struct ratelimit *ratelimit_create(void);
/* Frees them. */
void ratelimit_destroy(struct ratelimit *rl);
/* Counts one hit for bucket ("ticket_create:u42") against limit per window, at time now.
 * With a PostgreSQL db the count is kept in the database, else in rl. False on a database error
 * (the request is then let through: a limiter must not take the service down). */
bool ratelimit_hit(struct ratelimit *rl, struct db *db, const char *bucket, int limit, int64_t now,
                   struct rate_result *out);

#endif
