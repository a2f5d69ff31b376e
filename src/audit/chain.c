#include "audit/chain.h"

#include <stdio.h>
#include <string.h>

#include "util/crypto.h"
#include "util/strbuf.h"

/* entries linked by one run of the chainer at most (its transaction stays short) */
#define LINK_BATCH 1000

/* One field of the hashed text: 'N' for NULL, else 'V' and the value, then a separator. */
static void put(struct strbuf *sb, const char *v)
{
    if (v) {
        strbuf_addc(sb, 'V');
        strbuf_adds(sb, v);
    } else {
        strbuf_addc(sb, 'N');
    }
    strbuf_addc(sb, '\x1f');
}

static void put_int(struct strbuf *sb, int64_t v, bool present)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    put(sb, present ? buf : NULL);
}

void chain_hash(const char *prev, int64_t at, const struct audit_entry *e, char out[65])
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    put(&sb, prev);
    put_int(&sb, at, true);
    put(&sb, e->actor_kind);
    put_int(&sb, e->actor_id, e->actor_id != 0);
    put(&sb, e->action);
    put(&sb, e->target_type);
    put_int(&sb, e->target_id, e->target_id != 0);
    put(&sb, e->field);
    put(&sb, e->old_value);
    put(&sb, e->new_value);
    put(&sb, e->ip);
    crypto_sha256_hex(sb.data, sb.len, out);
    strbuf_free(&sb);
}

/* The entry of a row whose columns from `from` on are at, actor_kind, actor_id, action,
 * target_type, target_id, field, old_value, new_value, ip. */
static struct audit_entry row_entry(struct db_stmt *st, int from, int64_t *at)
{
    *at = db_col_int(st, from);
    return (struct audit_entry){
        .actor_kind = db_col_text(st, from + 1), .actor_id = db_col_null(st, from + 2) ? 0 : db_col_int(st, from + 2),
        .action = db_col_text(st, from + 3), .target_type = db_col_text(st, from + 4),
        .target_id = db_col_null(st, from + 5) ? 0 : db_col_int(st, from + 5), .field = db_col_text(st, from + 6),
        .old_value = db_col_text(st, from + 7), .new_value = db_col_text(st, from + 8), .ip = db_col_text(st, from + 9)};
}

#define ROW_COLUMNS "at, actor_kind, actor_id, action, target_type, target_id, field, old_value, new_value, ip"

/* Links up to LINK_BATCH unlinked entries in its own transaction; *linked counts them. */
static int link_batch(struct db *db, int64_t *linked)
{
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_lock(db, DB_LOCK_AUDIT);
    char prev[65] = CHAIN_GENESIS;
    int64_t seq = 0, n = 0;
    struct db_stmt *st = rc < 0 ? NULL : db_query(db, "SELECT seq, hash FROM audit_chain_head WHERE id = 1", NULL);
    if (st && (rc = db_step(st)) == DB_ROW) {
        seq = db_col_int(st, 0);
        snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    st = rc < 0 ? NULL
                : db_query(db, "SELECT id, " ROW_COLUMNS " FROM audit_log WHERE hash = '' ORDER BY id LIMIT $1", "i",
                           (int64_t)LINK_BATCH);
    rc = st ? DB_DONE : DB_ERROR;
    /* the rows are read first: a statement that writes must not run while this one reads */
    struct link {
        int64_t id;
        char prev[65], hash[65];
    } *links = st ? calloc(LINK_BATCH, sizeof *links) : NULL;
    while (links && (rc = db_step(st)) == DB_ROW) {
        int64_t at;
        struct audit_entry e = row_entry(st, 1, &at);
        links[n].id = db_col_int(st, 0);
        snprintf(links[n].prev, sizeof links[n].prev, "%s", prev);
        chain_hash(prev, at, &e, links[n].hash);
        snprintf(prev, sizeof prev, "%s", links[n].hash);
        n++;
    }
    db_finalize(st);
    for (int64_t i = 0; i < n && rc >= 0; i++)
        rc = db_run(db, "UPDATE audit_log SET prev_hash = $1, hash = $2, chain_seq = $3 WHERE id = $4", "ttii",
                    links[i].prev, links[i].hash, seq + 1 + i, links[i].id);
    free(links);
    if (rc >= 0 && n > 0)
        rc = db_run(db,
                    "INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, $1, $2)"
                    " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                    "it", seq + n, prev);
    if (rc >= 0)
        rc = db_commit(db);
    else
        db_rollback(db);
    *linked = rc >= 0 ? n : 0;
    return rc < 0 ? rc : DB_DONE;
}

int audit_chain(struct db *db, int64_t *linked)
{
    *linked = 0;
    int64_t n;
    int rc;
    do {
        rc = link_batch(db, &n);
        *linked += n;
    } while (rc >= 0 && n == LINK_BATCH);
    return rc;
}

int audit_verify(struct db *db, int64_t *checked, int64_t *unlinked, int64_t *bad_id, char *why, size_t whylen)
{
    *checked = *unlinked = *bad_id = 0;
    /* entries linked as written have no chain_seq: their place is their id */
    struct db_stmt *st = db_query(db,
                                  "SELECT id, prev_hash, hash, " ROW_COLUMNS " FROM audit_log WHERE hash <> ''"
                                  " ORDER BY coalesce(chain_seq, id)",
                                  NULL);
    if (!st)
        return DB_ERROR;
    char prev[65] = CHAIN_GENESIS;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        (*checked)++;
        int64_t id = db_col_int(st, 0), at;
        struct audit_entry e = row_entry(st, 3, &at);
        char hash[65];
        chain_hash(prev, at, &e, hash);
        if (strcmp(db_col_text(st, 1), prev) != 0) {
            *bad_id = id;
            snprintf(why, whylen, "entry %lld does not follow the entry before it (one was removed or reordered)",
                     (long long)id);
            rc = DB_ROW;
            break;
        }
        if (strcmp(db_col_text(st, 2), hash) != 0) {
            *bad_id = id;
            snprintf(why, whylen, "entry %lld was changed after it was written", (long long)id);
            rc = DB_ROW;
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc;
    st = db_query(db, "SELECT count(*) FROM audit_log WHERE hash = ''", NULL);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *unlinked = db_col_int(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? DB_DONE : rc;
}
