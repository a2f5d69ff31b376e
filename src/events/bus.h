/* The in-process event bus behind Server-Sent Events: handlers publish ticket events, each
 * subscriber (one open /api/v1/events stream) receives those its user may see, as SSE text. */
#ifndef PARLEY_EVENTS_BUS_H
#define PARLEY_EVENTS_BUS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus;
struct bus_sub;

/* Who an event is for. */
struct bus_audience {
    int64_t ticket_requester_id;    /* customers see events of their own tickets only */
    int64_t only_user_id;           /* > 0: this user alone (personal events like reminders) */
    bool staff_only;                /* internal notes: never to customers */
};

/* Creates a bus with a thread that sends a keep-alive comment to every stream every 15 s. */
struct bus *bus_create(void);
/* Ends every stream and frees the bus; no subscriber may be used afterwards. */
void bus_destroy(struct bus *b);
/* Ends every stream (they finish sending what they have) — the first step of a shutdown. */
void bus_close_all(struct bus *b);
/* Sends event type with data (staff view) and customer_data (customer view, NULL: same as data)
 * to every subscriber in the audience. Does not take the JSON references. */
void bus_publish(struct bus *b, const char *type, const struct bus_audience *to, json_t *data, json_t *customer_data);
/* Sends every published event also to relay(arg, type, to, data, customer_data) — how events
 * reach the other nodes; set once before serving. */
void bus_set_relay(struct bus *b,
                   void (*relay)(void *arg, const char *type, const struct bus_audience *to, json_t *data,
                                 json_t *customer_data),
                   void *arg);
/* Like bus_publish, but only to this node's streams (events that came from another node). */
void bus_deliver(struct bus *b, const char *type, const struct bus_audience *to, json_t *data, json_t *customer_data);
/* Subscribes user_id; wake(arg) is called (under no lock of the caller) when a waiting
 * subscriber gets data. The caller owns the subscription (bus_unsubscribe). */
struct bus_sub *bus_subscribe(struct bus *b, int64_t user_id, bool staff, void (*wake)(void *arg), void *arg);
/* Removes and frees a subscription. */
void bus_unsubscribe(struct bus_sub *s);
/* Copies up to max pending bytes into buf. Returns the count; 0 when nothing is pending (the
 * subscriber is then marked waiting and *suspend says the caller must pause until woken);
 * -1 when the stream has ended. */
long bus_read(struct bus_sub *s, char *buf, size_t max, bool *suspend);

#endif
