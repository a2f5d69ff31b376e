/* Live events across nodes: with PostgreSQL, every event published on one node goes out with
 * NOTIFY, and a thread on each node LISTENs and hands the other nodes' events to its own streams. */
#ifndef PARLEY_EVENTS_RELAY_H
#define PARLEY_EVENTS_RELAY_H

struct bus;
struct db_pool;
struct relay;

/* Starts relaying bus's events through the PostgreSQL database at url (NOTIFY sent on a pool
 * connection). The caller owns the relay (relay_stop before the bus and pool go). */
struct relay *relay_start(struct bus *bus, struct db_pool *pool, const char *url);
/* Stops the listening thread and frees the relay. */
void relay_stop(struct relay *r);

#endif
