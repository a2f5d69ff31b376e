#include "assist/live.h"

#include "tickets/messages.h"
#include "tickets/tickets.h"
#include "util/log.h"

/* Who reads the ticket for the staff view of an event: any agent sees every ticket. */
static const struct principal STAFF_VIEW = {.role = ROLE_AGENT};

void assist_live_message(struct bus *b, struct db *db, int64_t message_id)
{
    if (!b)
        return;
    json_t *m = messages_get(db, message_id);
    struct ticket_ref ref;
    if (!m || tickets_access(db, &STAFF_VIEW, json_integer_value(json_object_get(m, "ticket_id")), &ref) != ERR_OK) {
        log_error("ai: live event of message %lld: %s", (long long)message_id, db_errmsg(db));
        json_decref(m);
        return;
    }
    struct bus_audience to = {.ticket_requester_id = ref.requester_id,
                              .staff_only = json_is_true(json_object_get(m, "internal"))};
    bus_publish(b, "message.created", &to, m, NULL);
    json_decref(m);
}

void assist_live_ticket(struct bus *b, struct db *db, int64_t ticket_id)
{
    if (!b)
        return;
    enum err e;
    struct ticket_ref ref;
    json_t *t = tickets_access(db, &STAFF_VIEW, ticket_id, &ref) == ERR_OK ? tickets_get(db, &STAFF_VIEW, ticket_id, &e)
                                                                           : NULL;
    if (!t) {
        log_error("ai: live event of ticket %lld: %s", (long long)ticket_id, db_errmsg(db));
        return;
    }
    struct bus_audience to = {.ticket_requester_id = ref.requester_id};
    json_t *brief = json_pack("{s:I, s:I}", "ticket_id", (json_int_t)ticket_id, "version", (json_int_t)ref.version);
    bus_publish(b, "ticket.updated", &to, t, brief);
    json_decref(brief);
    json_decref(t);
}
