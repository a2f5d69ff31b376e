#include "attachments/attachments.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

enum err attachments_record(struct db *db, const struct principal *me, const char *ip, int64_t ticket_id,
                            struct attachment *a, const char *declared_type, struct ticket_ref *ref,
                            struct failure *f)
{
    if (a->internal && !role_is_staff(me->role))
        return fail(f, ERR_VALIDATION, "internal", "only staff can add internal attachments");
    if (db_begin(db) < 0)
        return fail(f, ERR_INTERNAL, NULL, "%s", db_errmsg(db));
    enum err e = tickets_access(db, me, ticket_id, ref);
    if (e) {
        db_rollback(db);
        return fail(f, e, NULL, "no such ticket");
    }
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO attachments (ticket_id, uploader_id, filename, size, content_type,"
                                  " declared_type, sha256, internal, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                                  " RETURNING id",
                                  "iititttii", ticket_id, me->user_id, a->filename, a->size, a->content_type,
                                  declared_type, a->sha256, (int64_t)a->internal, time_now());
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        a->id = db_col_int(st, 0);
    db_finalize(st);
    a->ticket_id = ticket_id;
    struct audit_entry ae = {.actor_kind = "user", .actor_id = me->user_id, .action = "ticket.attachment",
                             .target_type = "ticket", .target_id = ticket_id, .field = "filename",
                             .new_value = a->filename, .ip = ip};
    if (rc == DB_ROW && audit_append(db, &ae) >= 0 && tickets_touch(db, ticket_id) >= 0 && db_commit(db) >= 0) {
        ref->version++;
        return ERR_OK;
    }
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "could not record the attachment: %s", db_errmsg(db));
}

#define ATTACHMENT_COLUMNS "id, ticket_id, size, internal, filename, content_type, sha256, created_at"

static void read_row(struct db_stmt *st, struct attachment *a)
{
    a->id = db_col_int(st, 0);
    a->ticket_id = db_col_int(st, 1);
    a->size = db_col_int(st, 2);
    a->internal = db_col_int(st, 3) != 0;
    snprintf(a->filename, sizeof a->filename, "%s", db_col_text(st, 4));
    snprintf(a->content_type, sizeof a->content_type, "%s", db_col_text(st, 5));
    snprintf(a->sha256, sizeof a->sha256, "%s", db_col_text(st, 6));
}

enum err attachments_get(struct db *db, const struct principal *me, int64_t id, struct attachment *a)
{
    struct db_stmt *st = db_query(db, "SELECT " ATTACHMENT_COLUMNS " FROM attachments WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        read_row(st, a);
    db_finalize(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    if (a->internal && !role_is_staff(me->role))
        return ERR_NOT_FOUND;
    return tickets_access(db, me, a->ticket_id, NULL);
}

bool attachments_blob_used(struct db *db, const char *sha)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT 1 FROM attachments WHERE sha256 = $1"
                                  " UNION ALL SELECT 1 FROM kb_files WHERE sha256 = $1 LIMIT 1",
                                  "t", sha);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    return rc != DB_DONE; /* on a database error, keep the file */
}

json_t *attachments_json(const struct attachment *a)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)a->id, "ticket_id",
                     (json_int_t)a->ticket_id, "filename", a->filename, "size", (json_int_t)a->size, "content_type",
                     a->content_type, "sha256", a->sha256, "internal", a->internal);
}

json_t *attachments_list(struct db *db, const struct principal *me, int64_t ticket_id)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT " ATTACHMENT_COLUMNS " FROM attachments WHERE ticket_id = $1"
                                  " AND (internal = 0 OR $2 = 1) ORDER BY id",
                                  "ii", ticket_id, (int64_t)role_is_staff(me->role));
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        struct attachment a;
        char at[21];
        read_row(st, &a);
        json_t *o = attachments_json(&a);
        json_object_set_new(o, "created_at", json_string(time_format(db_col_int(st, 7), at)));
        json_array_append_new(items, o);
    }
    db_finalize(st);
    return items;
}
