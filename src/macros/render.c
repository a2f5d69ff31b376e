#include "macros/render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

enum source { FROM_TICKET, FROM_REQUESTER, FROM_AGENT };

struct placeholder {
    const char *name;
    enum source from;
    const char *key;        /* member of the ticket / requester object; "first_name": first word of name */
};

static const struct placeholder known[] = {
    {"ticket.number", FROM_TICKET, "number"},     {"ticket.subject", FROM_TICKET, "subject"},
    {"ticket.status", FROM_TICKET, "status"},     {"ticket.priority", FROM_TICKET, "priority"},
    {"requester.name", FROM_REQUESTER, "name"},   {"requester.first_name", FROM_REQUESTER, "first_name"},
    {"requester.email", FROM_REQUESTER, "email"}, {"agent.name", FROM_AGENT, "name"},
    {"agent.first_name", FROM_AGENT, "first_name"}, {"agent.email", FROM_AGENT, "email"},
};
#define KNOWN_COUNT (sizeof known / sizeof known[0])

/* The placeholder spelled between {{ and }} (spaces around the name allowed), or NULL. */
static const struct placeholder *lookup(const char *start, size_t len)
{
    while (len && isspace((unsigned char)*start)) {
        start++;
        len--;
    }
    while (len && isspace((unsigned char)start[len - 1]))
        len--;
    for (size_t i = 0; i < KNOWN_COUNT; i++)
        if (strlen(known[i].name) == len && memcmp(known[i].name, start, len) == 0)
            return &known[i];
    return NULL;
}

enum err macro_body_check(const char *body, const char *field, struct failure *f)
{
    for (const char *p = strstr(body, "{{"); p; p = strstr(p, "{{")) {
        const char *end = strstr(p + 2, "}}");
        if (!end)
            return fail(f, ERR_VALIDATION, field, "a placeholder that starts with {{ must end with }}");
        if (!lookup(p + 2, (size_t)(end - p - 2)))
            return fail(f, ERR_VALIDATION, field, "{{%.*s}} is not a placeholder; use one of ticket.number, "
                        "ticket.subject, ticket.status, ticket.priority, requester.name, requester.first_name, "
                        "requester.email, agent.name, agent.first_name, agent.email",
                        (int)(end - p - 2 > 40 ? 40 : end - p - 2), p + 2);
        p = end + 2;
    }
    return ERR_OK;
}

/* Appends the value of placeholder ph to out. */
static void put_value(struct strbuf *out, const struct placeholder *ph, json_t *ticket, const struct principal *me)
{
    json_t *requester = json_object_get(ticket, "requester");
    const char *name = ph->from == FROM_AGENT ? me->name : json_string_value(json_object_get(requester, "name"));
    if (ph->from == FROM_TICKET) {
        json_t *v = json_object_get(ticket, ph->key);
        if (json_is_integer(v))
            strbuf_addf(out, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            strbuf_adds(out, json_string_value(v));
    } else if (strcmp(ph->key, "first_name") == 0) {
        if (name)
            strbuf_add(out, name, strcspn(name, " \t"));
    } else if (strcmp(ph->key, "name") == 0) {
        if (name)
            strbuf_adds(out, name);
    } else {
        const char *email = ph->from == FROM_AGENT ? me->email : json_string_value(json_object_get(requester, "email"));
        if (email)
            strbuf_adds(out, email);
    }
}

char *macro_render(const char *body, json_t *ticket, const struct principal *me)
{
    struct strbuf out;
    strbuf_init(&out, 4 * 1024 * 1024);
    const char *p = body;
    for (const char *open = strstr(p, "{{"); open; open = strstr(p, "{{")) {
        const char *end = strstr(open + 2, "}}");
        const struct placeholder *ph = end ? lookup(open + 2, (size_t)(end - open - 2)) : NULL;
        strbuf_add(&out, p, (size_t)(open - p));
        if (ph) {
            put_value(&out, ph, ticket, me);
            p = end + 2;
        } else {
            strbuf_add(&out, open, 2);
            p = open + 2;
        }
    }
    strbuf_adds(&out, p);
    return strbuf_take(&out, NULL);
}

json_t *macro_placeholders(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < KNOWN_COUNT; i++)
        json_array_append_new(a, json_string(known[i].name));
    return a;
}
