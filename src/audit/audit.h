/* The tamper-evident audit log: an append-only table where each entry carries the hash of the
 * one before it in the chain. Security events and every ticket change go here. */
#ifndef PARLEY_AUDIT_AUDIT_H
#define PARLEY_AUDIT_AUDIT_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

struct audit_entry {
    const char *actor_kind;     /* "user", "ai", "system" or "anonymous" */
    int64_t actor_id;           /* 0 when there is no user */
    const char *action;         /* "auth.login", "ticket.update", … */
    const char *target_type;    /* "user", "ticket", "api_key", "settings", … or NULL */
    int64_t target_id;          /* 0 when none */
    const char *field, *old_value, *new_value; /* NULL when not applicable */
    const char *ip;             /* the caller's address or NULL */
};

/* Appends e inside the caller's open write transaction: linked into the chain at once on
 * SQLite, unlinked until audit_chain on PostgreSQL. */
int audit_append(struct db *db, const struct audit_entry *e);
/* Like audit_append; the new entry's id into *id. */
int audit_append_id(struct db *db, const struct audit_entry *e, int64_t *id);
/* Appends e in a transaction of its own. */
int audit_record(struct db *db, const struct audit_entry *e);
/* Links the committed entries not yet in the chain, in the order found (PostgreSQL; on SQLite
 * there are none). *linked counts them. Returns DB_DONE or an error. */
int audit_chain(struct db *db, int64_t *linked);
/* Recomputes the chain of linked entries. Returns DB_DONE when intact, DB_ROW when an entry is
 * broken (its id in *bad_id, the reason in why), negative on a database error. *checked counts
 * the entries read, *unlinked those not linked yet. */
int audit_verify(struct db *db, int64_t *checked, int64_t *unlinked, int64_t *bad_id, char *why, size_t whylen);

/* Filters for audit_list; NULL/0 fields do not filter. */
struct audit_filter {
    const char *action;         /* exact action, or a prefix ending in '.' ("auth.") */
    const char *target_type;
    int64_t target_id;
    int64_t actor_id;
    int64_t since, until;       /* epoch seconds, inclusive */
    int64_t before_id;          /* cursor: only entries older than this id */
    int limit;
};

/* Lists entries newest first as a JSON array of {id, at, actor_id, actor_kind, action,
 * target_type, target_id, field, old, new, ip}; NULL on a database error. Caller owns it. */
json_t *audit_list(struct db *db, const struct audit_filter *f);

#endif
