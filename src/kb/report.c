/* The knowledge base's report: what readers looked for and did not find, and how articles fare. */
#include "kb/stats.h"

#include "util/timeutil.h"

#define NO_CLICK "NOT EXISTS (SELECT 1 FROM kb_search_clicks c WHERE c.search_id = s.id)"

/* Runs a query of (query, count[, last_at]) rows into a list; false on a database error. */
static bool query_list(struct db *db, json_t *out, const char *key, const char *sql, int64_t since, int limit)
{
    struct db_stmt *st = db_query(db, sql, "ii", since, (int64_t)limit);
    json_t *items = json_array();
    char at[21];
    int rc = st ? DB_ROW : DB_ERROR;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW) {
        json_t *row = json_pack("{s:s, s:I}", "query", db_col_text(st, 0), "count", (json_int_t)db_col_int(st, 1));
        if (db_column_count(st) > 2)
            json_object_set_new(row, "last_at", json_string(time_format(db_col_int(st, 2), at)));
        json_array_append_new(items, row);
    }
    db_finalize(st);
    json_object_set_new(out, key, items);
    return rc >= 0;
}

static bool totals(struct db *db, json_t *out, int64_t since)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT COUNT(*), COALESCE(SUM(CASE WHEN results = 0 THEN 1 ELSE 0 END), 0),"
                                  " COALESCE(SUM(CASE WHEN results > 0 AND " NO_CLICK " THEN 1 ELSE 0 END), 0)"
                                  " FROM kb_searches s WHERE created_at >= $1",
                                  "i", since);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        json_object_set_new(out, "searches", json_integer(db_col_int(st, 0)));
        json_object_set_new(out, "zero_result_searches", json_integer(db_col_int(st, 1)));
        json_object_set_new(out, "no_click_searches", json_integer(db_col_int(st, 2)));
    }
    db_finalize(st);
    return rc == DB_ROW;
}

static bool articles(struct db *db, json_t *out, int limit)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT a.id, a.title, a.status, a.view_count,"
                                  " (SELECT COUNT(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 1),"
                                  " (SELECT COUNT(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 0)"
                                  " FROM kb_articles a ORDER BY a.view_count DESC, a.id LIMIT $1",
                                  "i", (int64_t)limit);
    json_t *items = json_array();
    int rc = st ? DB_ROW : DB_ERROR;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)db_col_int(st, 0),
                                               "title", db_col_text(st, 1), "status", db_col_text(st, 2),
                                               "views", (json_int_t)db_col_int(st, 3),
                                               "helpful_yes", (json_int_t)db_col_int(st, 4),
                                               "helpful_no", (json_int_t)db_col_int(st, 5)));
    db_finalize(st);
    json_object_set_new(out, "articles", items);
    return rc >= 0;
}

static bool feedback(struct db *db, json_t *out, int64_t since, int limit)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT article_id, helpful, comment, created_at FROM kb_feedback"
                                  " WHERE created_at >= $1 AND comment IS NOT NULL ORDER BY id DESC LIMIT $2",
                                  "ii", since, (int64_t)limit);
    json_t *items = json_array();
    char at[21];
    int rc = st ? DB_ROW : DB_ERROR;
    while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:b, s:s, s:s}", "article_id", (json_int_t)db_col_int(st, 0),
                                               "helpful", (int)db_col_int(st, 1), "comment", db_col_text(st, 2),
                                               "created_at", time_format(db_col_int(st, 3), at)));
    db_finalize(st);
    json_object_set_new(out, "recent_feedback", items);
    return rc >= 0;
}

json_t *kb_report(struct db *db, int64_t since, int limit)
{
    char at[21];
    json_t *out = json_pack("{s:s}", "since", time_format(since, at));
    bool ok = totals(db, out, since) &&
              query_list(db, out, "zero_results",
                         "SELECT query_norm, COUNT(*), MAX(created_at) FROM kb_searches WHERE created_at >= $1"
                         " AND results = 0 GROUP BY query_norm ORDER BY COUNT(*) DESC, query_norm LIMIT $2",
                         since, limit) &&
              query_list(db, out, "no_click",
                         "SELECT query_norm, COUNT(*) FROM kb_searches s WHERE created_at >= $1 AND results > 0 AND "
                         NO_CLICK " GROUP BY query_norm ORDER BY COUNT(*) DESC, query_norm LIMIT $2",
                         since, limit) &&
              articles(db, out, limit) && feedback(db, out, since, limit);
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}
