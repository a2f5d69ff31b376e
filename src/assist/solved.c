#include "assist/solved.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kb/index.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define SYNC_BATCH 500
#define SYNC_BATCHES 20         /* batches per call at most, while catching up */
#define QUESTION_MAX 2048       /* bytes of a requester's messages that are indexed */
#define RECENT_SECONDS 2        /* tickets changed this recently are looked at again next time */
#ifndef SOLVED_WINDOW
#define SOLVED_WINDOW 20000     /* the index holds the solved ones among this many newest changed tickets */
#endif

/* Where the sync has got to: tickets after (updated_at, id) are looked at next. */
struct cursor {
    int64_t at, id;
};

struct assist_solved {
    pthread_rwlock_t lock;      /* guards the pointer ix (the retriever guards its contents) */
    retr_index *ix;
    struct cursor since;
    bool started;               /* since was placed at the window's start */
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

static retr_index *empty_index(void)
{
    retr_index *ix = retr_new("en", NULL);
    if (!ix)
        abort();
    return ix;
}

struct assist_solved *assist_solved_new(void)
{
    struct assist_solved *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    pthread_rwlock_init(&s->lock, NULL);
    s->ix = empty_index();
    return s;
}

void assist_solved_free(struct assist_solved *s)
{
    if (!s)
        return;
    retr_free(s->ix);
    pthread_rwlock_destroy(&s->lock);
    free(s);
}

/* The cursor before the newest SOLVED_WINDOW tickets; (0, 0) when there are not more. */
static struct cursor window_start(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT updated_at, id FROM tickets ORDER BY updated_at DESC, id DESC"
                                      " LIMIT 1 OFFSET $1", "i", (int64_t)SOLVED_WINDOW);
    struct cursor c = {0};
    if (st && db_step(st) == DB_ROW)
        c = (struct cursor){.at = db_col_int(st, 0), .id = db_col_int(st, 1)};
    db_finalize(st);
    return c;
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

/* Adds ticket c to ix (replacing it) when it is solved and answered by staff, else removes it. */
static void refresh(retr_index *ix, struct db *db, const struct changed *c)
{
    char *q = c->solved ? question(db, c->id) : NULL;
    if (!q) {
        retr_remove(ix, c->id); /* RETR_ENOTFOUND when it was not there: fine */
        return;
    }
    retr_doc doc = {.id = c->id, .title = c->subject, .body = q, .lang = *c->lang ? c->lang : NULL};
    int rc = retr_add(ix, &doc);
    if (rc == RETR_ELANG) { /* no stemmer for it: matched unstemmed */
        doc.lang = NULL;
        rc = retr_add(ix, &doc);
    }
    if (rc != RETR_OK)
        log_error("ai: cannot index solved ticket %lld (retriever error %d)", (long long)c->id, rc);
    free(q);
}

/* Looks at the next SYNC_BATCH changed tickets after *since for ix and moves *since on; the
 * number looked at. */
static size_t sync_batch(retr_index *ix, struct cursor *since, struct db *db)
{
    struct changed *c = calloc(SYNC_BATCH, sizeof *c);
    if (!c)
        abort();
    struct db_stmt *st = db_query(db,
                                  "SELECT t.id, t.updated_at, s.category IN ('solved', 'closed') AND t.merged_into IS NULL,"
                                  " t.subject, COALESCE(t.language, '') FROM tickets t JOIN statuses s ON s.key = t.status"
                                  " WHERE (t.updated_at, t.id) > ($1, $2)"
                                  " ORDER BY t.updated_at, t.id LIMIT $3",
                                  "iii", since->at, since->id, (int64_t)SYNC_BATCH);
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
        refresh(ix, db, &c[i]);
        free(c[i].subject);
        free(c[i].lang);
    }
    if (n) {
        /* a full batch: continue after it; caught up: look at the last seconds again, since a
         * ticket may change again within the second it was read in */
        int64_t recent = time_now() - RECENT_SECONDS;
        bool old = n == SYNC_BATCH || c[n - 1].updated_at < recent;
        *since = old ? (struct cursor){c[n - 1].updated_at, c[n - 1].id} : (struct cursor){recent, 0};
    }
    free(c);
    return n;
}

/* Builds a new index from the window of the newest tickets and swaps it in: the index grows
 * while the server runs (every ticket solved meanwhile), this bounds it. */
static void rebuild(struct assist_solved *s, struct db *db)
{
    retr_index *fresh = empty_index();
    struct cursor since = window_start(db);
    while (sync_batch(fresh, &since, db) == SYNC_BATCH)
        continue;
    pthread_rwlock_wrlock(&s->lock);
    retr_index *old = s->ix;
    s->ix = fresh;
    s->since = since;
    pthread_rwlock_unlock(&s->lock);
    retr_free(old);
}

void assist_solved_sync(struct assist_solved *s, struct db *db)
{
    if (!s->started) {
        s->since = window_start(db);
        s->started = true;
    }
    for (int i = 0; i < SYNC_BATCHES; i++)
        if (sync_batch(s->ix, &s->since, db) < SYNC_BATCH)
            break; /* caught up */
    if (retr_count(s->ix) > SOLVED_WINDOW + SOLVED_WINDOW / 5)
        rebuild(s, db);
}

size_t assist_solved_search(struct assist_solved *s, const char *query, const char *lang, int64_t exclude,
                            retr_hit *hits, size_t k)
{
    retr_hit *all = calloc(k + 1, sizeof *all);
    if (!all)
        abort();
    size_t n = 0, out = 0;
    pthread_rwlock_rdlock(&s->lock);
    if (lang && *lang && retr_search(s->ix, query, lang, k + 1, all, &n) != RETR_OK)
        n = 0;
    if (!n && retr_search(s->ix, query, NULL, k + 1, all, &n) != RETR_OK)
        n = 0;
    pthread_rwlock_unlock(&s->lock);
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
