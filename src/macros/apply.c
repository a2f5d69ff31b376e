#include "macros/apply.h"

#include <stdio.h>

#include "audit/audit.h"
#include "macros/actions.h"
#include "macros/macros.h"
#include "macros/render.h"

/* The ticket change and its audit record, inside the caller's transaction. */
static enum err change(struct db *db, const struct principal *me, const char *ip, json_t *macro, int64_t ticket_id,
                       const struct if_match *cond, struct ticket_ref *ref, struct failure *f)
{
    enum err e;
    json_t *ticket = tickets_get(db, me, ticket_id, &e);
    if (!ticket)
        return fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such ticket" : "could not read the ticket");
    struct ticket_patch p;
    json_t *tags;
    macro_actions_patch(json_object_get(macro, "actions"), json_object_get(ticket, "tags"), me, &p, &tags);
    p.if_match = *cond;
    e = tickets_apply(db, me, ip, ticket_id, &p, ref, f);
    json_decref(tags);
    json_decref(ticket);
    if (e)
        return e;
    char macro_id[24];
    snprintf(macro_id, sizeof macro_id, "%lld", (long long)json_integer_value(json_object_get(macro, "id")));
    struct audit_entry a = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.macro",
                            .target_type = "ticket", .target_id = ticket_id, .field = "macro", .old_value = macro_id,
                            .new_value = json_string_value(json_object_get(macro, "name")), .ip = ip};
    if (audit_append(db, &a) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    return ERR_OK;
}

enum err macros_apply(struct db *db, const struct principal *me, const char *ip, int64_t id, int64_t ticket_id,
                      const struct if_match *cond, char **body, struct ticket_ref *ref, struct failure *f)
{
    enum err e;
    json_t *macro = macros_get(db, me, id, &e);
    if (!macro)
        return fail(f, e, NULL, e == ERR_NOT_FOUND ? "no such macro" : "could not read the macro");
    if (db_begin(db) < 0) {
        json_decref(macro);
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    }
    e = change(db, me, ip, macro, ticket_id, cond, ref, f);
    if (!e && db_commit(db) < 0)
        e = fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    if (e)
        db_rollback(db);
    if (!e) {
        json_t *ticket = tickets_get(db, me, ticket_id, &e);
        if (ticket)
            *body = macro_render(json_string_value(json_object_get(macro, "body")), ticket, me);
        else
            e = fail(f, ERR_INTERNAL, NULL, "could not read the ticket");
        json_decref(ticket);
    }
    json_decref(macro);
    return e;
}
