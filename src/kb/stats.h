/* What readers do with the knowledge base: searches (query and result count), articles opened
 * from a search, views. Kept in memory and written in one transaction per flush (every couple of
 * seconds, by kb_sync), so a search costs no database write; a crash loses at most the last
 * couple of seconds of these counts. The report over them is kb_report. */
#ifndef PARLEY_KB_STATS_H
#define PARLEY_KB_STATS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define KB_LOGGED_QUERY_MAX 500 /* bytes of a query kept in the log */
/* Seconds a search typed as you type (kb_search_log.typing) waits for the next keystroke's
 * search from the same searcher to replace it before it is written. */
#define KB_TYPING_WINDOW 10

struct kb_stats;

/* An empty log; the caller frees it with kb_stats_free. Aborts when out of memory. */
struct kb_stats *kb_stats_new(void);
/* Frees the log and what was not flushed (NULL is fine). */
void kb_stats_free(struct kb_stats *s);
/* A search to log. */
struct kb_search_log {
    const char *query, *language;   /* language NULL: none */
    size_t results;
    int64_t user_id;                /* 0: anonymous */
    const char *searcher;           /* who typed it (user or client address, and the client's typing
                                     * session): keystrokes fold per searcher */
    bool typing;                    /* a search made while the reader types: provisional */
};

/* Logs a search and returns its id (positive, below 2^53, random so that nodes never clash).
 * Search as you type: when the same searcher's latest search was made while typing, less than
 * KB_TYPING_WINDOW seconds ago, in the same language, not opened from, and one query starts with
 * the other (typed on, or corrected), the new search replaces it and keeps its id instead of
 * adding a row, so the log holds what the reader ended up asking, not every keystroke. */
int64_t kb_stats_search(struct kb_stats *s, const struct kb_search_log *e);
/* Logs a view of an article, opened from search search_id (0: not from a search). */
void kb_stats_view(struct kb_stats *s, int64_t article_id, int64_t search_id);
/* Views of an article logged but not yet flushed. */
int64_t kb_stats_pending_views(struct kb_stats *s, int64_t article_id);
/* Writes what was logged in one transaction, but for searches made while typing that may still
 * be replaced (all: those too); DB_DONE or a negative db_status (then it is dropped and the error
 * logged). */
int kb_stats_flush(struct kb_stats *s, struct db *db, bool all);
/* The "searches with no good answer" report since `since` (epoch seconds), top `limit` of each
 * list: {since, searches, zero_result_searches, no_click_searches, zero_results: [{query, count,
 * last_at}], no_click: [{query, count}], articles: [{id, title, status, views, helpful_yes,
 * helpful_no}] (most viewed, all time), recent_feedback: [{article_id, helpful, comment,
 * created_at}]}; NULL on a database error. Flush first to count this node's latest. */
json_t *kb_report(struct db *db, int64_t since, int limit);
/* The query as the report groups it: valid UTF-8 (invalid bytes and control characters become
 * spaces), lower-cased, spaces collapsed and trimmed, at most max bytes; the caller frees it. */
char *kb_query_norm(const char *query, size_t max);
/* The query as logged: valid UTF-8 (invalid bytes and control characters become spaces), at most
 * max bytes; the caller frees it. */
char *kb_query_clean(const char *query, size_t max);

#endif
