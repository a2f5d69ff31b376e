/* Attachments of tickets: the record of a stored file (name, size, sniffed type, SHA-256), who
 * may download it (whoever may see the ticket; internal ones staff only). */
#ifndef PARLEY_ATTACHMENTS_ATTACHMENTS_H
#define PARLEY_ATTACHMENTS_ATTACHMENTS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "tickets/tickets.h"
#include "users/principal.h"
#include "util/error.h"

#define ATTACHMENT_MAX (10 * 1024 * 1024)
#define ATTACHMENT_NAME_MAX 255

struct attachment {
    int64_t id, ticket_id, size;
    bool internal;
    char filename[ATTACHMENT_NAME_MAX + 1];
    char content_type[128];
    char sha256[65];
};

/* Records a stored file on ticket_id for me (visibility checked; audited; the ticket is marked
 * changed); fills a with the new record and ref with the ticket. */
enum err attachments_record(struct db *db, const struct principal *me, const char *ip, int64_t ticket_id,
                            struct attachment *a, const char *declared_type, struct ticket_ref *ref,
                            struct failure *f);
/* Reads attachment id if me may download it; ERR_NOT_FOUND otherwise. */
enum err attachments_get(struct db *db, const struct principal *me, int64_t id, struct attachment *a);
/* True when some record (a ticket attachment or a knowledge-base file) still refers to blob sha. */
bool attachments_blob_used(struct db *db, const char *sha);
/* The attachments of a ticket me may see: [{id, filename, size, content_type, sha256, internal, created_at}]. */
json_t *attachments_list(struct db *db, const struct principal *me, int64_t ticket_id);
/* The API object of one attachment. */
json_t *attachments_json(const struct attachment *a);

#endif
