#include "tickets/presence.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

#define SLOTS 1024

struct seen {
    struct seen *next;
    int64_t ticket_id, user_id, at;
    char name[128];
};

struct presence {
    pthread_mutex_t lock;
    struct seen *slots[SLOTS];
};

struct presence *presence_create(void)
{
    struct presence *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void presence_destroy(struct presence *p)
{
    if (!p)
        return;
    for (int i = 0; i < SLOTS; i++)
        for (struct seen *s = p->slots[i], *next; s; s = next) {
            next = s->next;
            free(s);
        }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void presence_seen(struct presence *p, int64_t ticket_id, int64_t user_id, const char *name, int64_t now)
{
    pthread_mutex_lock(&p->lock);
    struct seen **pp = &p->slots[(uint64_t)ticket_id % SLOTS], *found = NULL;
    /* drop stale entries of this slot while looking */
    while (*pp) {
        struct seen *s = *pp;
        if (s->ticket_id == ticket_id && s->user_id == user_id)
            found = s;
        if (s != found && now - s->at > PRESENCE_SECONDS) {
            *pp = s->next;
            free(s);
            continue;
        }
        pp = &s->next;
    }
    if (!found) {
        found = calloc(1, sizeof *found);
        if (!found)
            abort();
        found->ticket_id = ticket_id;
        found->user_id = user_id;
        found->next = p->slots[(uint64_t)ticket_id % SLOTS];
        p->slots[(uint64_t)ticket_id % SLOTS] = found;
    }
    snprintf(found->name, sizeof found->name, "%s", name ? name : "");
    found->at = now;
    pthread_mutex_unlock(&p->lock);
}

json_t *presence_viewers(struct presence *p, int64_t ticket_id, int64_t except_user, int64_t now)
{
    json_t *out = json_array();
    pthread_mutex_lock(&p->lock);
    for (struct seen *s = p->slots[(uint64_t)ticket_id % SLOTS]; s; s = s->next) {
        if (s->ticket_id != ticket_id || s->user_id == except_user || now - s->at > PRESENCE_SECONDS)
            continue;
        char at[21];
        json_array_append_new(out, json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)s->user_id, "name", s->name,
                                             "seen_at", time_format(s->at, at)));
    }
    pthread_mutex_unlock(&p->lock);
    return out;
}
