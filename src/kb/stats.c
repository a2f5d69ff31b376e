#include "kb/stats.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/text.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* Past this many unflushed entries new ones are dropped (a flood must not eat the memory). */
#define PENDING_MAX 200000

struct search_row {
    int64_t id, user_id, at;
    char *query, *norm;
    char language[8];
    size_t results;
    uint64_t searcher;          /* hash of who typed it */
    bool typing, opened;        /* opened: a view came from it (it is then final) */
};

struct view_row {
    int64_t article_id, search_id, at;
};

/* Rows of the log by a key (open addressing, rebuilt at each flush). */
struct rowmap {
    struct {
        uint64_t key;           /* 0: free slot */
        size_t row;             /* in searches */
    } *slots;
    size_t cap, used;
};

struct kb_stats {
    pthread_mutex_t lock;
    struct search_row *searches;
    size_t nsearches, searches_cap;
    struct rowmap latest;       /* each searcher's latest search (what a keystroke may continue) */
    struct rowmap typing;       /* searches made while typing, by id (to mark them opened) */
    struct view_row *views;
    size_t nviews, views_cap;
    bool warned;
};

struct kb_stats *kb_stats_new(void)
{
    struct kb_stats *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static void free_searches(struct search_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].query);
        free(rows[i].norm);
    }
    free(rows);
}

void kb_stats_free(struct kb_stats *s)
{
    if (!s)
        return;
    free_searches(s->searches, s->nsearches);
    free(s->latest.slots);
    free(s->typing.slots);
    free(s->views);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Appends valid UTF-8 of query, control characters and invalid bytes as spaces; lower-cased and
 * with runs of spaces collapsed when norm. Stops before max bytes. */
static char *clean(const char *query, size_t max, bool norm)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    size_t n = strlen(query), i = 0;
    while (i < n) {
        size_t start = i;
        int32_t cp = text_utf8_next(query, n, &i);
        bool space = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (norm && cp == ' ');
        if (space) {
            if (!norm || (sb.len && sb.data[sb.len - 1] != ' ')) {
                if (sb.len + 1 > max)
                    break;
                strbuf_addc(&sb, ' ');
            }
            continue;
        }
        char buf[4];
        size_t len = i - start;
        memcpy(buf, query + start, len);
        if (norm) {
            int32_t lo = text_lower(cp);
            /* re-encode the lower-case code point */
            if (lo < 0x80) {
                buf[0] = (char)lo, len = 1;
            } else if (lo < 0x800) {
                buf[0] = (char)(0xC0 | (lo >> 6)), buf[1] = (char)(0x80 | (lo & 0x3F)), len = 2;
            } else if (lo < 0x10000) {
                buf[0] = (char)(0xE0 | (lo >> 12)), buf[1] = (char)(0x80 | ((lo >> 6) & 0x3F));
                buf[2] = (char)(0x80 | (lo & 0x3F)), len = 3;
            }
        }
        if (sb.len + len > max)
            break;
        strbuf_add(&sb, buf, len);
    }
    if (norm)
        while (sb.len && sb.data[sb.len - 1] == ' ')
            sb.data[--sb.len] = 0;
    char *out = strbuf_take(&sb, NULL);
    if (norm && *out == ' ')
        memmove(out, out + 1, strlen(out));
    return out;
}

char *kb_query_norm(const char *query, size_t max)
{
    return clean(query, max, true);
}

char *kb_query_clean(const char *query, size_t max)
{
    return clean(query, max, false);
}

/* Makes room for one more element in *arr (of *cap elements of size each). */
static void grow(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 256;
    void *p = realloc(*arr, ncap * size);
    if (!p)
        abort();
    *arr = p;
    *cap = ncap;
}

/* True (and warns once) when the log is full. Lock held. */
static bool full(struct kb_stats *s)
{
    if (s->nsearches + s->nviews < PENDING_MAX)
        return false;
    if (!s->warned)
        log_error("kb stats: %d entries waiting to be written; dropping new ones until the next flush", PENDING_MAX);
    s->warned = true;
    return true;
}

/* FNV-1a of a searcher's name, never 0. */
static uint64_t searcher_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return h ? h : 1;
}

/* The slot of key in m: its own, or the free one it would take. Lock held; m has room. */
static size_t slot_of(const struct rowmap *m, uint64_t key)
{
    for (size_t i = (size_t)(key >> 17) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
        if (m->slots[i].key == key || !m->slots[i].key)
            return i;
}

/* Records that key (not 0) is at row. Lock held. */
static void map_set(struct rowmap *m, uint64_t key, size_t row)
{
    if ((m->used + 1) * 2 > m->cap) {
        struct rowmap bigger = {.cap = m->cap ? m->cap * 2 : 256};
        if (!(bigger.slots = calloc(bigger.cap, sizeof *bigger.slots)))
            abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                bigger.slots[slot_of(&bigger, m->slots[i].key)] = m->slots[i];
        bigger.used = m->used;
        free(m->slots);
        *m = bigger;
    }
    size_t i = slot_of(m, key);
    m->used += !m->slots[i].key;
    m->slots[i].key = key;
    m->slots[i].row = row;
}

/* The row of key in m, or NULL. Lock held. */
static struct search_row *map_get(struct kb_stats *s, const struct rowmap *m, uint64_t key)
{
    if (!m->cap || !key)
        return NULL;
    size_t i = slot_of(m, key);
    return m->slots[i].key ? &s->searches[m->slots[i].row] : NULL;
}

/* Forgets every key of m. */
static void map_clear(struct rowmap *m)
{
    free(m->slots);
    *m = (struct rowmap){0};
}

/* Appends row to the log as its searcher's latest. Lock held. */
static void append(struct kb_stats *s, const struct search_row *row)
{
    grow((void **)&s->searches, s->nsearches, &s->searches_cap, sizeof *s->searches);
    s->searches[s->nsearches++] = *row;
    map_set(&s->latest, row->searcher, s->nsearches - 1);
    if (row->typing)
        map_set(&s->typing, (uint64_t)row->id, s->nsearches - 1);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True when row continues prev, the same searcher's latest search: prev was made while typing,
 * within the window, nothing was opened from it, same language, one query starts the other. */
static bool continues(const struct search_row *prev, const struct search_row *row)
{
    return prev->typing && !prev->opened && prev->at >= row->at - KB_TYPING_WINDOW &&
           strcmp(prev->language, row->language) == 0 &&
           (starts_with(row->norm, prev->norm) || starts_with(prev->norm, row->norm));
}

int64_t kb_stats_search(struct kb_stats *s, const struct kb_search_log *e)
{
    uint64_t r = 0;
    while (!r) {
        crypto_random(&r, sizeof r);
        r &= (UINT64_C(1) << 53) - 1;
    }
    struct search_row row = {.id = (int64_t)r, .user_id = e->user_id, .at = time_now(), .results = e->results,
                             .query = kb_query_clean(e->query, KB_LOGGED_QUERY_MAX),
                             .norm = kb_query_norm(e->query, KB_LOGGED_QUERY_MAX),
                             .searcher = searcher_hash(e->searcher), .typing = e->typing};
    if (e->language)
        snprintf(row.language, sizeof row.language, "%s", e->language);
    pthread_mutex_lock(&s->lock);
    struct search_row *prev = map_get(s, &s->latest, row.searcher);
    if (prev && continues(prev, &row)) {
        /* the same search, typed further: it keeps its id (and whatever was sent with it) */
        row.id = prev->id;
        free(prev->query);
        free(prev->norm);
        *prev = row;
    } else if (full(s)) {
        free(row.query);
        free(row.norm);
    } else {
        if (prev)
            prev->typing = false; /* the searcher moved on: their last search is final */
        append(s, &row);
    }
    pthread_mutex_unlock(&s->lock);
    return row.id;
}

void kb_stats_view(struct kb_stats *s, int64_t article_id, int64_t search_id)
{
    pthread_mutex_lock(&s->lock);
    /* a search still open to keystrokes becomes final once a result is opened from it */
    struct search_row *from = map_get(s, &s->typing, (uint64_t)search_id);
    if (from)
        from->opened = true;
    if (!full(s)) {
        grow((void **)&s->views, s->nviews, &s->views_cap, sizeof *s->views);
        s->views[s->nviews++] = (struct view_row){article_id, search_id, time_now()};
    }
    pthread_mutex_unlock(&s->lock);
}

int64_t kb_stats_pending_views(struct kb_stats *s, int64_t article_id)
{
    int64_t n = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nviews; i++)
        n += s->views[i].article_id == article_id;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static int cmp_views(const void *a, const void *b)
{
    int64_t x = ((const struct view_row *)a)->article_id, y = ((const struct view_row *)b)->article_id;
    return (x > y) - (x < y);
}

/* Writes the rows: searches, clicks, then one view-count update per article. */
static int write_rows(struct db *db, struct search_row *searches, size_t nsearches, struct view_row *views,
                      size_t nviews)
{
    int rc = DB_DONE;
    for (size_t i = 0; i < nsearches && rc >= 0; i++) {
        const struct search_row *r = &searches[i];
        const char *sql = "INSERT INTO kb_searches (id, query, query_norm, language, results, user_id, created_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
        const char *lang = r->language[0] ? r->language : NULL;
        rc = r->user_id ? db_run(db, sql, "itttiii", r->id, r->query, r->norm, lang, (int64_t)r->results, r->user_id, r->at)
                        : db_run(db, sql, "itttini", r->id, r->query, r->norm, lang, (int64_t)r->results, r->at);
    }
    if (nviews)
        qsort(views, nviews, sizeof *views, cmp_views);
    for (size_t i = 0; i < nviews && rc >= 0; i++) {
        if (views[i].search_id)
            rc = db_run(db,
                        "INSERT INTO kb_search_clicks (search_id, article_id, created_at) VALUES ($1, $2, $3)"
                        " ON CONFLICT DO NOTHING",
                        "iii", views[i].search_id, views[i].article_id, views[i].at);
        if (rc >= 0 && (i + 1 == nviews || views[i + 1].article_id != views[i].article_id)) {
            size_t first = i;
            while (first > 0 && views[first - 1].article_id == views[i].article_id)
                first--;
            rc = db_run(db, "UPDATE kb_articles SET view_count = view_count + $1 WHERE id = $2", "ii",
                        (int64_t)(i - first + 1), views[i].article_id);
        }
    }
    return rc;
}

/* Moves the searches made while typing that the next keystroke may still replace back into the
 * (emptied) log, each its searcher's latest; the others stay in rows. Lock held; returns how
 * many stay in rows. */
static size_t keep_typing(struct kb_stats *s, struct search_row *rows, size_t n)
{
    size_t out = 0;
    int64_t since = time_now() - KB_TYPING_WINDOW;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].typing && !rows[i].opened && rows[i].at >= since)
            append(s, &rows[i]);
        else
            rows[out++] = rows[i];
    }
    return out;
}

int kb_stats_flush(struct kb_stats *s, struct db *db, bool all)
{
    pthread_mutex_lock(&s->lock);
    struct search_row *searches = s->searches;
    struct view_row *views = s->views;
    size_t nsearches = s->nsearches, nviews = s->nviews;
    s->searches = NULL;
    s->views = NULL;
    s->nsearches = s->nviews = s->searches_cap = s->views_cap = 0;
    s->warned = false;
    map_clear(&s->latest);
    map_clear(&s->typing);
    if (!all)
        nsearches = keep_typing(s, searches, nsearches);
    pthread_mutex_unlock(&s->lock);
    int rc = DB_DONE;
    if (nsearches || nviews) {
        rc = db_begin(db);
        if (rc >= 0)
            rc = write_rows(db, searches, nsearches, views, nviews);
        if (rc >= 0)
            rc = db_commit(db);
        if (rc < 0) {
            log_error("kb stats: %zu searches and %zu views not written: %s", nsearches, nviews, db_errmsg(db));
            db_rollback(db);
        }
    }
    free_searches(searches, nsearches);
    free(views);
    return rc < 0 ? rc : DB_DONE;
}
