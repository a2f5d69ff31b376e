/* /api/v1/kb/search and /recommend (the one retrieval engine, kb/index.h), and the admin report. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/kb_handlers.h"
#include "app.h"
#include "kb/categories.h"
#include "kb/kb.h"
#include "users/principal.h"
#include "util/timeutil.h"

#define SEARCH_LIMIT_DEFAULT 10
#define SEARCH_LIMIT_MAX 50
#define SEARCH_OFFSET_MAX 1000  /* deeper pages than this are not served */
#define RECOMMEND_LIMIT_DEFAULT 5
#define RECOMMEND_LIMIT_MAX 20
#define REPORT_DAYS_DEFAULT 30
#define REPORT_LIMIT_DEFAULT 20

/* Reads an integer query parameter within [min, max] (def when absent); 400 naming it otherwise. */
static enum err int_param(struct request *r, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out)
{
    const char *s = req_query(r, key);
    char *end;
    *out = def;
    if (!s || !*s)
        return ERR_OK;
    *out = strtoll(s, &end, 10);
    if (*end || *out < min || *out > max)
        return req_fail(r, ERR_BAD_REQUEST, key, "%s must be a whole number from %lld to %lld", key, (long long)min,
                        (long long)max);
    return ERR_OK;
}

/* Reads ?lang= (an ISO 639-1 code) into *out; NULL when absent. */
static enum err lang_param(struct request *r, const char **out)
{
    const char *s = req_query(r, "lang");
    *out = s && *s ? s : NULL;
    if (*out && !(strlen(s) == 2 && islower((unsigned char)s[0]) && islower((unsigned char)s[1])))
        return req_fail(r, ERR_BAD_REQUEST, "lang", "lang must be an ISO 639-1 code such as en or de");
    return ERR_OK;
}

#define TYPING_TOKEN_MAX 64

/* Reads ?typing=: absent or 0 for a search of its own, else 1 or the client's typing session
 * (up to 64 letters, digits, - and _) for a search made while the reader types; *searcher is
 * then who types: the user or the client address, and that session. */
static enum err typing_param(struct request *r, const char **searcher)
{
    const char *t = req_query(r, "typing");
    *searcher = NULL;
    if (!t || !*t || strcmp(t, "0") == 0)
        return ERR_OK;
    size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
    if (t[n] || n > TYPING_TOKEN_MAX)
        return req_fail(r, ERR_BAD_REQUEST, "typing",
                        "typing must be 0, 1 or a typing session of up to %d letters, digits, - and _",
                        TYPING_TOKEN_MAX);
    *searcher = r->me ? arena_printf(&r->arena, "user %lld %s", (long long)r->me->user_id, t)
                      : arena_printf(&r->arena, "address %s %s", r->client_ip, t);
    return ERR_OK;
}

/* Runs a search and turns the hits into [{id, title, snippet, score}]; NULL on failure (answered). */
static json_t *run(struct request *r, const char *text, const struct kb_filter *flt, size_t offset, size_t limit,
                   bool *more)
{
    struct kb_index *ix = r->app->kb->index;
    struct kb_hit *hits = arena_alloc(&r->arena, limit * sizeof *hits);
    size_t n;
    if (kb_index_search(ix, text, flt, offset, limit, hits, &n, more)) {
        req_fail(r, ERR_INTERNAL, NULL, "the search failed");
        return NULL;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        char *snippet = kb_index_snippet(ix, hits[i].id, text);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:f}", "id", (json_int_t)hits[i].id, "title",
                                               hits[i].title, "snippet", snippet ? snippet : "",
                                               "score", round(hits[i].score * 10000) / 10000));
        free(snippet);
    }
    return items;
}

/* Fills the category filter from ?category= (the category and its subcategories); *none when
 * there is no such category. */
static enum err category_param(struct request *r, struct kb_filter *flt, bool *none)
{
    int64_t category;
    enum err e = int_param(r, "category", 0, 1, INT64_MAX, &category);
    *none = false;
    if (e || !category)
        return e;
    int64_t *ids;
    size_t n;
    if (kb_category_subtree(req_db(r), category, &ids, &n) < 0)
        return req_fail(r, ERR_INTERNAL, NULL, "could not read the categories");
    int64_t *copy = arena_alloc(&r->arena, (n ? n : 1) * sizeof *copy);
    if (n)
        memcpy(copy, ids, n * sizeof *ids);
    free(ids);
    flt->categories = copy;
    flt->ncategories = n;
    *none = n == 0;
    return ERR_OK;
}

enum err api_kb_search(struct request *r)
{
    const char *q = req_query(r, "q");
    struct kb_filter flt = {.internal = kb_reader_is_staff(r)};
    int64_t limit, offset;
    const char *typist;
    bool none, more = false;
    enum err e;
    if ((e = lang_param(r, &flt.language)) || (e = int_param(r, "limit", SEARCH_LIMIT_DEFAULT, 1, SEARCH_LIMIT_MAX, &limit)) ||
        (e = int_param(r, "cursor", 0, 0, SEARCH_OFFSET_MAX, &offset)) || (e = typing_param(r, &typist)) ||
        (e = category_param(r, &flt, &none)))
        return e;
    if (!q)
        q = "";
    json_t *items = none ? json_array() : run(r, q, &flt, (size_t)offset, (size_t)limit, &more);
    if (!items)
        return r->err;
    json_t *search_id = json_null();
    bool blank = true;
    for (const char *c = q; *c && blank; c++)
        blank = isspace((unsigned char)*c) != 0;
    /* each search is logged once, on its first page; ?typing= marks a search made while the
     * reader types, which the next keystroke's search replaces */
    if (!blank && offset == 0) {
        int64_t user = r->me ? r->me->user_id : 0;
        struct kb_search_log log = {.query = q, .language = flt.language, .results = json_array_size(items),
                                    .user_id = user, .typing = typist != NULL,
                                    .searcher = typist ? typist
                                                       : user ? arena_printf(&r->arena, "user %lld", (long long)user)
                                                              : arena_printf(&r->arena, "address %s", r->client_ip)};
        search_id = json_integer(kb_stats_search(r->app->kb->stats, &log));
    }
    json_t *next = json_null();
    if (more && offset + limit <= SEARCH_OFFSET_MAX) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)(offset + limit));
        next = json_string(buf);
    }
    return req_json(r, 200, json_pack("{s:o, s:o, s:o}", "items", items, "next_cursor", next, "search_id", search_id));
}

enum err api_kb_recommend(struct request *r)
{
    const char *text = req_query(r, "text");
    struct kb_filter flt = {.internal = kb_reader_is_staff(r)};
    int64_t limit;
    bool more;
    enum err e;
    if ((e = lang_param(r, &flt.language)) ||
        (e = int_param(r, "limit", RECOMMEND_LIMIT_DEFAULT, 1, RECOMMEND_LIMIT_MAX, &limit)))
        return e;
    json_t *items = run(r, text ? text : "", &flt, 0, (size_t)limit, &more);
    if (!items)
        return r->err;
    return req_json(r, 200, json_pack("{s:o}", "items", items));
}

enum err api_kb_report(struct request *r)
{
    int64_t days, limit;
    enum err e;
    if ((e = int_param(r, "days", REPORT_DAYS_DEFAULT, 1, 3650, &days)) ||
        (e = int_param(r, "limit", REPORT_LIMIT_DEFAULT, 1, 200, &limit)))
        return e;
    /* this node's latest searches and views count too */
    kb_stats_flush(r->app->kb->stats, req_db(r), true);
    json_t *report = kb_report(req_db(r), time_now() - days * 86400, (int)limit);
    if (!report)
        return req_fail(r, ERR_INTERNAL, NULL, "could not build the report");
    return req_json(r, 200, report);
}
