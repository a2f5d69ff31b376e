#include "events/relay.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events/bus.h"
#include "store/pg_listen.h"
#include "store/pool.h"
#include "util/crypto.h"
#include "util/log.h"

#define CHANNEL "parley_events"
#define PAYLOAD_MAX 7900 /* PostgreSQL refuses NOTIFY payloads of 8000 bytes or more */

struct relay {
    struct bus *bus;
    struct db_pool *pool;
    char *url;
    char node[24];              /* this process, so it skips its own notifications */
    pthread_t thread;
    atomic_bool stopping;
};

/* A payload small enough for NOTIFY: the event as is, or its ticket reference when too big. */
static char *encode(struct relay *r, const char *type, const struct bus_audience *to, json_t *data,
                    json_t *customer_data)
{
    json_t *msg = json_pack("{s:s, s:s, s:I, s:I, s:b, s:O, s:O?}", "n", r->node, "t", type, "r",
                            (json_int_t)to->ticket_requester_id, "u", (json_int_t)to->only_user_id, "s",
                            to->staff_only, "d", data, "c", customer_data);
    char *text = json_dumps(msg, JSON_COMPACT);
    if (text && strlen(text) > PAYLOAD_MAX) {
        json_t *id = json_object_get(data, "ticket_id");
        if (!id)
            id = json_object_get(data, "id");
        json_t *brief = json_pack("{s:O?}", "ticket_id", id);
        json_object_set_new(msg, "d", brief);
        json_object_del(msg, "c");
        free(text);
        text = json_dumps(msg, JSON_COMPACT);
    }
    json_decref(msg);
    return text;
}

static void send_event(void *arg, const char *type, const struct bus_audience *to, json_t *data,
                       json_t *customer_data)
{
    struct relay *r = arg;
    char *text = encode(r, type, to, data, customer_data);
    struct db *db = text ? db_pool_acquire(r->pool) : NULL;
    if (db && db_run(db, "SELECT pg_notify('" CHANNEL "', $1)", "t", text) < 0)
        log_error("events relay: %s", db_errmsg(db));
    db_pool_release(r->pool, db);
    free(text);
}

static void on_notification(const char *payload, void *arg)
{
    struct relay *r = arg;
    json_t *msg = json_loads(payload, 0, NULL);
    const char *node = json_string_value(json_object_get(msg, "n"));
    const char *type = json_string_value(json_object_get(msg, "t"));
    if (node && type && strcmp(node, r->node) != 0) {
        struct bus_audience to = {.ticket_requester_id = json_integer_value(json_object_get(msg, "r")),
                                  .only_user_id = json_integer_value(json_object_get(msg, "u")),
                                  .staff_only = json_is_true(json_object_get(msg, "s"))};
        json_t *c = json_object_get(msg, "c");
        bus_deliver(r->bus, type, &to, json_object_get(msg, "d"), json_is_null(c) ? NULL : c);
    }
    json_decref(msg);
}

static void *listen_main(void *arg)
{
    struct relay *r = arg;
    struct pg_listener *l = NULL;
    while (!atomic_load(&r->stopping)) {
        if (!l) {
            char err[256];
            l = pg_listen(r->url, CHANNEL, err, sizeof err);
            if (!l) {
                log_error("events relay: %s", err);
                sleep(1);
                continue;
            }
        }
        if (pg_listener_wait(l, 500, on_notification, r) < 0) {
            pg_listener_close(l);
            l = NULL;
        }
    }
    pg_listener_close(l);
    return NULL;
}

struct relay *relay_start(struct bus *bus, struct db_pool *pool, const char *url)
{
    struct relay *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->bus = bus;
    r->pool = pool;
    r->url = strdup(url);
    if (!r->url)
        abort();
    crypto_token(r->node, sizeof r->node, 12);
    if (pthread_create(&r->thread, NULL, listen_main, r) != 0) {
        free(r->url);
        free(r);
        return NULL;
    }
    bus_set_relay(bus, send_event, r);
    return r;
}

void relay_stop(struct relay *r)
{
    if (!r)
        return;
    atomic_store(&r->stopping, true);
    pthread_join(r->thread, NULL);
    bus_set_relay(r->bus, NULL, NULL);
    free(r->url);
    free(r);
}
