/* PostgreSQL LISTEN on its own connection: how nodes sharing one database hear each other's
 * events (NOTIFY is sent with an ordinary query: SELECT pg_notify(channel, payload)). */
#ifndef PARLEY_STORE_PG_LISTEN_H
#define PARLEY_STORE_PG_LISTEN_H
#include <stddef.h>

struct pg_listener;

/* Connects to url and listens on channel (a plain identifier); NULL with err filled on failure. */
struct pg_listener *pg_listen(const char *url, const char *channel, char *err, size_t errlen);
/* Waits up to timeout_ms for notifications and calls fn with each payload. Returns the number
 * handled, or -1 when the connection broke (close it and listen again). */
int pg_listener_wait(struct pg_listener *l, int timeout_ms, void (*fn)(const char *payload, void *arg), void *arg);
/* Closes the connection. */
void pg_listener_close(struct pg_listener *l);

#endif
