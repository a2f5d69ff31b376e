/* /api/v1/kb/articles: articles and guides, their versions, feedback and guide walks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/input.h"
#include "api/kb_handlers.h"
#include "app.h"
#include "kb/articles.h"
#include "kb/guide.h"
#include "kb/index.h"
#include "kb/kb.h"
#include "settings/settings.h"
#include "users/principal.h"

bool kb_reader_is_staff(struct request *r)
{
    if (!r->me || !role_is_staff(r->me->role))
        return false;
    /* staff who still owe the required second factor read like everyone else */
    return r->me->two_factor || !settings_get(&r->app->settings, req_db(r)).require_2fa_for_staff;
}

/* Reads an id member that may be null (has: whether it was given; 0 for null). */
static enum err nullable_id(struct request *r, const char *key, bool *has, int64_t *out)
{
    json_t *v = json_object_get(r->json, key);
    bool present;
    *has = v != NULL;
    *out = 0;
    return v && !json_is_null(v) ? in_int(r, key, 1, INT64_MAX, &present, out) : ERR_OK;
}

/* Reads the members of an article body; on create the title is required. */
static enum err read_article(struct request *r, bool create, struct kb_article_in *in)
{
    bool present;
    enum err e;
    if (!json_is_object(r->json))
        return req_fail(r, ERR_BAD_REQUEST, NULL, "send a JSON object of the article's fields");
    /* category_id, or category as API.md names it */
    const char *category = json_object_get(r->json, "category_id") ? "category_id" : "category";
    if ((e = in_string(r, "title", create, KB_TITLE_MAX, &in->title)) ||
        (e = in_string(r, "body_markdown", false, KB_BODY_MAX, &in->body_markdown)) ||
        (e = in_string(r, "language", false, 16, &in->language)) || (e = in_string(r, "status", false, 16, &in->status)) ||
        (e = in_string(r, "visibility", false, 16, &in->visibility)) || (e = in_array(r, "tags", &in->tags)) ||
        (e = nullable_id(r, category, &in->has_category, &in->category_id)) ||
        (e = in_int(r, "translation_of", 1, INT64_MAX, &present, &in->translation_of)) ||
        (e = in_int(r, "version", 1, INT64_MAX, &present, &in->if_version)))
        return e;
    in->guide = json_object_get(r->json, "guide");
    if (create && json_is_null(in->guide))
        in->guide = NULL;
    return ERR_OK;
}

/* Answers with article id as the caller sees it, its index entry brought up to date first. */
static enum err answer_changed(struct request *r, int status, int64_t id)
{
    enum err e = kb_reindex(r->app->kb, req_db(r), id);
    if (e)
        return req_fail(r, ERR_INTERNAL, NULL, "the article was saved but could not be indexed");
    json_t *a = kb_article_get(req_db(r), id, true, &e);
    if (!a)
        return req_fail(r, ERR_INTERNAL, NULL, "the article was saved but cannot be read");
    return req_json(r, status, a);
}

enum err api_kb_articles_create(struct request *r)
{
    struct kb_article_in in = {0};
    enum err e = read_article(r, true, &in);
    if (e)
        return e;
    struct actor by = req_actor(r);
    struct failure f;
    int64_t id;
    if ((e = kb_article_create(req_db(r), &by, &in, &id, &f)))
        return req_failure(r, e, &f);
    return answer_changed(r, 201, id);
}

enum err api_kb_articles_update(struct request *r)
{
    struct kb_article_in in = {0};
    int64_t id;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = read_article(r, false, &in)))
        return e;
    if (json_object_get(r->json, "translation_of"))
        return req_fail(r, ERR_VALIDATION, "translation_of", "translation_of is set when a translation is created");
    struct actor by = req_actor(r);
    struct failure f;
    if ((e = kb_article_update(req_db(r), &by, id, &in, &f)))
        return req_failure(r, e, &f);
    return answer_changed(r, 200, id);
}

/* The search that led to this read (?search_id=), 0 when none or not one we gave out. */
static int64_t search_id_param(struct request *r)
{
    const char *s = req_query(r, "search_id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 && v < (1LL << 53) ? v : 0;
}

enum err api_kb_articles_get(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    bool staff = kb_reader_is_staff(r);
    json_t *a = kb_article_get(req_db(r), id, staff, &e);
    if (!a)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such article" : "could not read the article");
    kb_stats_view(r->app->kb->stats, id, search_id_param(r));
    json_t *views = json_object_get(a, "view_count");
    if (views)
        json_integer_set(views, json_integer_value(views) + kb_stats_pending_views(r->app->kb->stats, id));
    return req_json(r, 200, a);
}

enum err api_kb_articles_list(struct request *r)
{
    struct kb_article_filter flt = {.staff = kb_reader_is_staff(r), .tag = req_query(r, "tag"),
                                    .language = req_query(r, "lang"), .status = req_query(r, "status")};
    const char *category = req_query(r, "category");
    enum err e = in_page(r, &flt.limit, &flt.before_id);
    if (e)
        return e;
    if (category) {
        char *end;
        flt.category_id = strtoll(category, &end, 10);
        if (*end || flt.category_id <= 0)
            return req_fail(r, ERR_BAD_REQUEST, "category", "category must be a category id");
    }
    json_t *items = kb_article_list(req_db(r), &flt);
    if (!items)
        return req_fail(r, ERR_INTERNAL, NULL, "could not list articles");
    return out_page(r, items, flt.limit);
}

enum err api_kb_versions_list(struct request *r)
{
    int64_t id, before;
    int limit;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_page(r, &limit, &before)))
        return e;
    json_t *items = kb_article_versions(req_db(r), id, before, limit, &e);
    if (!items)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such article" : "could not read the versions");
    /* paged by version number, newest first */
    size_t n = json_array_size(items);
    json_t *next = json_null();
    if (n == (size_t)limit) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(json_array_get(items, n - 1), "version")));
        next = json_string(buf);
    }
    return req_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

enum err api_kb_versions_get(struct request *r)
{
    int64_t id, version;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_path_id(r, 1, &version)))
        return e;
    json_t *v = kb_article_version(req_db(r), id, version, &e);
    if (!v)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such version" : "could not read the version");
    return req_json(r, 200, v);
}

enum err api_kb_versions_restore(struct request *r)
{
    int64_t id, version;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_path_id(r, 1, &version)))
        return e;
    struct actor by = req_actor(r);
    struct failure f;
    if ((e = kb_article_restore(req_db(r), &by, id, version, &f)))
        return req_failure(r, e, &f);
    return answer_changed(r, 200, id);
}

enum err api_kb_feedback(struct request *r)
{
    int64_t id, fid;
    bool present, helpful = false;
    const char *comment;
    enum err e;
    if ((e = in_path_id(r, 0, &id)) || (e = in_bool(r, "helpful", &present, &helpful)) ||
        (e = in_string(r, "comment", false, KB_COMMENT_MAX, &comment)))
        return e;
    if (!present)
        return req_fail(r, ERR_VALIDATION, "helpful", "helpful is required: true or false");
    struct failure f;
    if ((e = kb_feedback_add(req_db(r), id, kb_reader_is_staff(r), r->me ? r->me->user_id : 0, helpful, comment, &fid,
                             &f)))
        return req_failure(r, e, &f);
    return req_json(r, 201, json_pack("{s:I, s:I, s:b, s:o}", "id", (json_int_t)fid, "article_id", (json_int_t)id,
                                      "helpful", helpful, "comment", comment ? json_string(comment) : json_null()));
}

enum err api_kb_guide_walk(struct request *r)
{
    int64_t id;
    enum err e = in_path_id(r, 0, &id);
    if (e)
        return e;
    json_t *a = kb_article_get(req_db(r), id, kb_reader_is_staff(r), &e);
    if (!a)
        return req_fail(r, e, NULL, e == ERR_NOT_FOUND ? "no such article" : "could not read the article");
    json_t *guide = json_object_get(a, "guide"), *walk = NULL;
    struct failure f;
    if (json_is_null(guide)) {
        json_decref(a);
        return req_fail(r, ERR_NOT_FOUND, NULL, "this article is not a guide");
    }
    if ((e = kb_guide_walk(guide, req_query(r, "path"), &walk, &f))) {
        json_decref(a);
        return req_failure(r, e, &f);
    }
    json_t *outcome = json_object_get(walk, "outcome");
    if (json_is_string(outcome) && strcmp(json_string_value(outcome), "ticket") == 0)
        /* what the ticket form sends on as (part of) the ticket's context */
        json_object_set_new(walk, "ticket_context",
                            json_pack("{s:I, s:O, s:O}", "guide_id", (json_int_t)id, "guide_title",
                                      json_object_get(a, "title"), "guide_path", json_object_get(walk, "path")));
    json_object_set_new(walk, "article_id", json_integer(id));
    json_decref(a);
    return req_json(r, 200, walk);
}
