#include "events/bus.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/json_write.h"
#include "util/strbuf.h"

#define SUB_BUFFER_MAX (1024 * 1024)
#define KEEPALIVE_SECONDS 15

struct bus_sub {
    struct bus *bus;
    struct bus_sub *prev, *next;
    int64_t user_id;
    bool staff, waiting, closed;
    struct strbuf pending;
    size_t sent;                    /* bytes of pending already read */
    void (*wake)(void *arg);
    void *arg;
};

struct bus {
    pthread_mutex_t lock;
    pthread_cond_t stop_cond;
    pthread_t keepalive;
    bool stopping, closed;
    struct bus_sub *subs;
    uint64_t seq;
    void (*relay)(void *arg, const char *type, const struct bus_audience *to, json_t *data, json_t *customer_data);
    void *relay_arg;
};

/* Appends text to a subscriber (under the bus lock); returns true when it must be woken. */
static bool deliver(struct bus_sub *s, const char *text, size_t len)
{
    if (s->closed)
        return false;
    if (!strbuf_add(&s->pending, text, len))
        s->closed = true; /* a reader this far behind has gone away; end its stream */
    bool wake = s->waiting;
    s->waiting = false;
    return wake;
}

/* Wakes the subscribers marked in the list; called with the lock held (resuming a connection
 * only signals the server's thread, it never calls back into the bus). */
static void wake_marked(struct bus_sub **marked, int n)
{
    for (int i = 0; i < n; i++)
        marked[i]->wake(marked[i]->arg);
}

static void broadcast(struct bus *b, const char *text, bool close)
{
    pthread_mutex_lock(&b->lock);
    int n = 0, cap = 64;
    struct bus_sub **marked = malloc(sizeof *marked * (size_t)cap);
    for (struct bus_sub *s = b->subs; s && marked; s = s->next) {
        bool w = text ? deliver(s, text, strlen(text)) : (s->waiting && (s->waiting = false, true));
        if (close)
            s->closed = true;
        if (w) {
            if (n == cap) {
                cap *= 2;
                marked = realloc(marked, sizeof *marked * (size_t)cap);
                if (!marked)
                    abort();
            }
            marked[n++] = s;
        }
    }
    wake_marked(marked, n);
    pthread_mutex_unlock(&b->lock);
    free(marked);
}

static void *keepalive_main(void *arg)
{
    struct bus *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += KEEPALIVE_SECONDS;
        pthread_cond_timedwait(&b->stop_cond, &b->lock, &until);
        if (b->stopping)
            break;
        pthread_mutex_unlock(&b->lock);
        broadcast(b, ": keep-alive\n\n", false);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

struct bus *bus_create(void)
{
    struct bus *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->stop_cond, NULL);
    if (pthread_create(&b->keepalive, NULL, keepalive_main, b) != 0)
        abort();
    return b;
}

void bus_close_all(struct bus *b)
{
    pthread_mutex_lock(&b->lock);
    b->closed = true;
    pthread_mutex_unlock(&b->lock);
    broadcast(b, NULL, true);
}

void bus_destroy(struct bus *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->stopping = true;
    pthread_cond_signal(&b->stop_cond);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->keepalive, NULL);
    pthread_cond_destroy(&b->stop_cond);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

/* The SSE frame of an event: id, type and the data as one line of JSON (UTF-8). */
static char *sse_text(uint64_t id, const char *type, json_t *data)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_addf(&sb, "id: %llu\nevent: %s\ndata: ", (unsigned long long)id, type);
    json_write(&sb, data);
    strbuf_adds(&sb, "\n\n");
    return strbuf_take(&sb, NULL);
}

void bus_set_relay(struct bus *b,
                   void (*relay)(void *arg, const char *type, const struct bus_audience *to, json_t *data,
                                 json_t *customer_data),
                   void *arg)
{
    b->relay = relay;
    b->relay_arg = arg;
}

void bus_publish(struct bus *b, const char *type, const struct bus_audience *to, json_t *data, json_t *customer_data)
{
    bus_deliver(b, type, to, data, customer_data);
    if (b->relay)
        b->relay(b->relay_arg, type, to, data, customer_data);
}

/* Which text of an event a subscriber gets: none, the staff one or the requester's. */
enum reader { READER_NONE, READER_STAFF, READER_REQUESTER };

static enum reader reader_of(const struct bus_sub *s, const struct bus_audience *to)
{
    if (to->only_user_id > 0 && s->user_id != to->only_user_id)
        return READER_NONE;
    if (s->staff)
        return READER_STAFF;
    return s->user_id == to->ticket_requester_id ? READER_REQUESTER : READER_NONE;
}

void bus_deliver(struct bus *b, const char *type, const struct bus_audience *to, json_t *data, json_t *customer_data)
{
    /* the texts are written outside the lock, and only for the kinds of reader that listen */
    bool staff_listens = false, requester_listens = false;
    pthread_mutex_lock(&b->lock);
    uint64_t id = ++b->seq;
    for (struct bus_sub *s = b->subs; s; s = s->next) {
        staff_listens |= reader_of(s, to) == READER_STAFF;
        requester_listens |= reader_of(s, to) == READER_REQUESTER;
    }
    pthread_mutex_unlock(&b->lock);
    if (!staff_listens && !requester_listens)
        return;
    char *staff_text = staff_listens ? sse_text(id, type, data) : NULL;
    char *customer_text =
        requester_listens && !to->staff_only ? sse_text(id, type, customer_data ? customer_data : data) : NULL;
    pthread_mutex_lock(&b->lock);
    for (struct bus_sub *s = b->subs; s; s = s->next) {
        enum reader kind = reader_of(s, to);
        const char *text = kind == READER_STAFF ? staff_text : kind == READER_REQUESTER ? customer_text : NULL;
        if (text && deliver(s, text, strlen(text)))
            s->wake(s->arg);
    }
    pthread_mutex_unlock(&b->lock);
    free(staff_text);
    free(customer_text);
}

struct bus_sub *bus_subscribe(struct bus *b, int64_t user_id, bool staff, void (*wake)(void *arg), void *arg)
{
    struct bus_sub *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->bus = b;
    s->user_id = user_id;
    s->staff = staff;
    s->wake = wake;
    s->arg = arg;
    strbuf_init(&s->pending, SUB_BUFFER_MAX);
    /* the first bytes tell the browser how long to wait before reconnecting */
    strbuf_adds(&s->pending, "retry: 3000\n\n");
    pthread_mutex_lock(&b->lock);
    s->closed = b->closed;
    s->next = b->subs;
    if (b->subs)
        b->subs->prev = s;
    b->subs = s;
    pthread_mutex_unlock(&b->lock);
    return s;
}

void bus_unsubscribe(struct bus_sub *s)
{
    struct bus *b = s->bus;
    pthread_mutex_lock(&b->lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        b->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    pthread_mutex_unlock(&b->lock);
    strbuf_free(&s->pending);
    free(s);
}

long bus_read(struct bus_sub *s, char *buf, size_t max, bool *suspend)
{
    struct bus *b = s->bus;
    long n = 0;
    *suspend = false;
    pthread_mutex_lock(&b->lock);
    size_t avail = s->pending.len - s->sent;
    if (avail) {
        n = (long)(avail < max ? avail : max);
        memcpy(buf, s->pending.data + s->sent, (size_t)n);
        s->sent += (size_t)n;
        if (s->sent == s->pending.len) {
            strbuf_clear(&s->pending);
            s->sent = 0;
        }
    } else if (s->closed) {
        n = -1;
    } else {
        s->waiting = true;
        *suspend = true;
    }
    pthread_mutex_unlock(&b->lock);
    return n;
}
