#include "assist/solved.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kb/index.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define SYNC_BATCH 500
#define SYNC_BATCHES 20         /* batches per call at most, while catching up */
#define QUESTION_MAX 4096       /* bytes of a requester's messages that are indexed */
#define RECENT_SECONDS 2        /* tickets changed this recently are looked at again next time */

struct assist_solved {
    retr_index *ix;
    int64_t since_at, since_id; /* the sync's cursor: tickets after (updated_at, id) are looked at */
};

/* A public message by staff (not the AI, not a customer). */
#define STAFF_REPLY                                                                                   \
    " FROM messages m JOIN users u ON u.id = m.author_id WHERE m.ticket_id = $1 AND m.internal = 0" \
    " AND m.author_kind = 'user' AND u.role <> 'customer'"

/* A ticket the sync looks at. */
struct changed {
    int64_t id, updated_at;
    bool solved;
    char *subject, *lang;
};

struct assist_solved *assist_solved_new(void)
{
    struct assist_solved *s = calloc(1, sizeof *s);
    if (!s || !(s->ix = retr_new("en", NULL)))
        abort();
    return s;
}

void assist_solved_free(struct assist_solved *s)
{
    if (!s)
        return;
    retr_free(s->ix);
    free(s);
}

/* What the requester of ticket id wrote in public, cut at QUESTION_MAX bytes; NULL when the
 * ticket has no public reply by staff (nothing to offer) or on a database error. */
static char *question(struct db *db, int64_t id)
{
    struct db_stmt *st = db_query(db, "SELECT 1" STAFF_REPLY " LIMIT 1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    if (rc != DB_ROW)
        return NULL;
    st = db_query(db,
                  "SELECT m.body FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.ticket_id = $1"
                  " AND m.internal = 0 AND m.author_id = t.requester_id ORDER BY m.id",
                  "i", id);
    struct strbuf sb;
    strbuf_init(&sb, 0);
    while (st && sb.len < QUESTION_MAX && db_step(st) == DB_ROW) {
        strbuf_adds(&sb, db_col_text(st, 0));
        strbuf_addc(&sb, '\n');
    }
    db_finalize(st);
    char *q = strbuf_take(&sb, NULL);
    q[kb_utf8_prefix(q, QUESTION_MAX)] = 0;
    return q;
}

/* Adds ticket c (replacing it) when it is solved and answered by staff, else removes it. */
static void refresh(struct assist_solved *s, struct db *db, const struct changed *c)
{
    char *q = c->solved ? question(db, c->id) : NULL;
    if (!q) {
        retr_remove(s->ix, c->id); /* RETR_ENOTFOUND when it was not there: fine */
        return;
    }
    retr_doc doc = {.id = c->id, .title = c->subject, .body = q, .lang = *c->lang ? c->lang : NULL};
    int rc = retr_add(s->ix, &doc);
    if (rc == RETR_ELANG) { /* no stemmer for it: matched unstemmed */
        doc.lang = NULL;
        rc = retr_add(s->ix, &doc);
    }
    if (rc != RETR_OK)
        log_error("ai: cannot index solved ticket %lld (retriever error %d)", (long long)c->id, rc);
    free(q);
}

/* Looks at the next SYNC_BATCH changed tickets; the number looked at. */
static size_t sync_batch(struct assist_solved *s, struct db *db)
{
    struct changed *c = calloc(SYNC_BATCH, sizeof *c);
    if (!c)
        abort();
    struct db_stmt *st = db_query(db,
                                  "SELECT t.id, t.updated_at, s.category IN ('solved', 'closed') AND t.merged_into IS NULL,"
                                  " t.subject, COALESCE(t.language, '') FROM tickets t JOIN statuses s ON s.key = t.status"
                                  " WHERE (t.updated_at, t.id) > ($1, $2)"
                                  " ORDER BY t.updated_at, t.id LIMIT $3",
                                  "iii", s->since_at, s->since_id, (int64_t)SYNC_BATCH);
    size_t n = 0;
    int rc = st ? DB_ROW : DB_ERROR;
    while (st && n < SYNC_BATCH && (rc = db_step(st)) == DB_ROW) {
        c[n] = (struct changed){.id = db_col_int(st, 0), .updated_at = db_col_int(st, 1),
                                .solved = db_col_int(st, 2) != 0, .subject = strdup(db_col_text(st, 3)),
                                .lang = strdup(db_col_text(st, 4))};
        if (!c[n].subject || !c[n].lang)
            abort();
        n++;
    }
    db_finalize(st);
    if (rc < 0)
        log_error("ai: reading solved tickets: %s", db_errmsg(db));
    for (size_t i = 0; i < n; i++) {
        refresh(s, db, &c[i]);
        free(c[i].subject);
        free(c[i].lang);
    }
    if (n) {
        /* a full batch: continue after it; caught up: look at the last seconds again, since a
         * ticket may change again within the second it was read in */
        int64_t recent = time_now() - RECENT_SECONDS;
        bool old = n == SYNC_BATCH || c[n - 1].updated_at < recent;
        s->since_at = old ? c[n - 1].updated_at : recent;
        s->since_id = old ? c[n - 1].id : 0;
    }
    free(c);
    return n;
}

void assist_solved_sync(struct assist_solved *s, struct db *db)
{
    for (int i = 0; i < SYNC_BATCHES; i++)
        if (sync_batch(s, db) < SYNC_BATCH)
            break; /* caught up */
}

size_t assist_solved_search(struct assist_solved *s, const char *query, const char *lang, int64_t exclude,
                            retr_hit *hits, size_t k)
{
    retr_hit *all = calloc(k + 1, sizeof *all);
    if (!all)
        abort();
    size_t n = 0, out = 0;
    if (lang && *lang && retr_search(s->ix, query, lang, k + 1, all, &n) != RETR_OK)
        n = 0;
    if (!n && retr_search(s->ix, query, NULL, k + 1, all, &n) != RETR_OK)
        n = 0;
    for (size_t i = 0; i < n && out < k; i++)
        if (all[i].id != exclude)
            hits[out++] = all[i];
    free(all);
    return out;
}

bool assist_solved_answer(struct db *db, int64_t ticket_id, char **reply, char **subject, char **lang)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT m.body, (SELECT subject FROM tickets WHERE id = $1),"
                                  " (SELECT COALESCE(language, '') FROM tickets WHERE id = $1)" STAFF_REPLY
                                  " ORDER BY m.id DESC LIMIT 1",
                                  "i", ticket_id);
    bool found = st && db_step(st) == DB_ROW;
    if (found && (!(*reply = strdup(db_col_text(st, 0))) || !(*subject = strdup(db_col_text(st, 1))) ||
                  !(*lang = strdup(db_col_text(st, 2)))))
        abort();
    db_finalize(st);
    return found;
}
