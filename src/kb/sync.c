#include "kb/kb.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define DOC_COLUMNS "id, version, status, visibility, language, title, tags, search_text, category_id"

/* The tags of a JSON array as space-separated words (caller frees). */
static char *tags_text(const char *json)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    json_t *tags = json ? json_loads(json, 0, NULL) : NULL;
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) {
        strbuf_adds(&sb, json_string_value(t));
        strbuf_addc(&sb, ' ');
    }
    json_decref(tags);
    return strbuf_take(&sb, NULL);
}

/* Puts or drops the article of the current row (DOC_COLUMNS) in the index. */
static enum err apply_row(struct kb_index *ix, struct db_stmt *st)
{
    int64_t id = db_col_int(st, 0), version = db_col_int(st, 1);
    if (strcmp(db_col_text(st, 2), "published") != 0) {
        kb_index_drop(ix, id, version);
        return ERR_OK;
    }
    char *tags = tags_text(db_col_text(st, 6));
    struct kb_doc d = {.id = id, .version = version, .internal = strcmp(db_col_text(st, 3), "internal") == 0,
                       .language = db_col_text(st, 4), .title = db_col_text(st, 5), .tags = tags,
                       .text = db_col_text(st, 7), .category_id = db_col_int(st, 8)};
    enum err e = kb_index_put(ix, &d);
    free(tags);
    return e;
}

struct kb *kb_open(struct db *db, char *err, size_t errlen)
{
    struct kb *kb = calloc(1, sizeof *kb);
    if (!kb)
        abort();
    kb->index = kb_index_new();
    kb->stats = kb_stats_new();
    pthread_mutex_init(&kb->sync_lock, NULL);
    kb->synced_at = time_now();
    int64_t t0 = time_mono_us();
    struct db_stmt *st = db_query(db, "SELECT " DOC_COLUMNS " FROM kb_articles WHERE status = 'published'", NULL);
    int rc = st ? DB_ROW : DB_ERROR;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW)
        apply_row(kb->index, st);
    db_finalize(st);
    if (rc < 0) {
        snprintf(err, errlen, "cannot load the knowledge base: %s", db_errmsg(db));
        kb_close(kb, NULL);
        return NULL;
    }
    log_info("knowledge base: %zu published articles indexed in %lld ms", kb_index_count(kb->index),
             (long long)((time_mono_us() - t0) / 1000));
    return kb;
}

void kb_close(struct kb *kb, struct db *db)
{
    if (!kb)
        return;
    if (db)
        kb_stats_flush(kb->stats, db, true);
    kb_stats_free(kb->stats);
    kb_index_free(kb->index);
    pthread_mutex_destroy(&kb->sync_lock);
    free(kb);
}

enum err kb_reindex(struct kb *kb, struct db *db, int64_t id)
{
    struct db_stmt *st = db_query(db, "SELECT " DOC_COLUMNS " FROM kb_articles WHERE id = $1", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    enum err e = rc == DB_ROW ? apply_row(kb->index, st) : rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL;
    db_finalize(st);
    return e;
}

/* Re-reads the articles changed since `since` that the index has another version of. */
static int refresh(struct kb *kb, struct db *db, int64_t since)
{
    struct db_stmt *st = db_query(db, "SELECT id, version FROM kb_articles WHERE updated_at >= $1", "i", since);
    int64_t *stale = NULL;
    size_t n = 0, cap = 0;
    int rc = st ? DB_ROW : DB_ERROR;
    /* gather first: the connection runs one statement at a time */
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW) {
        if (kb_index_version(kb->index, db_col_int(st, 0)) == db_col_int(st, 1))
            continue;
        if (n == cap && !(stale = realloc(stale, (cap = cap ? cap * 2 : 64) * sizeof *stale)))
            abort();
        stale[n++] = db_col_int(st, 0);
    }
    db_finalize(st);
    for (size_t i = 0; i < n && rc >= 0; i++)
        if (kb_reindex(kb, db, stale[i]) == ERR_INTERNAL)
            rc = DB_ERROR;
    free(stale);
    return rc;
}

void kb_sync(struct kb *kb, struct db *db)
{
    pthread_mutex_lock(&kb->sync_lock);
    int64_t started = time_now();
    if (refresh(kb, db, kb->synced_at - KB_SYNC_OVERLAP) < 0)
        log_error("knowledge base refresh: %s", db_errmsg(db));
    else
        kb->synced_at = started;
    pthread_mutex_unlock(&kb->sync_lock);
    kb_stats_flush(kb->stats, db, false);
}
