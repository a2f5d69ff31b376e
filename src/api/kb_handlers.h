/* The knowledge base's handlers (kb_articles.c, kb_categories.c, kb_search.c); their routes are
 * in kb_routes.c. Reads are public: anonymous readers and customers see published public
 * articles, staff (with two-factor authentication when it is required) also internal ones and
 * drafts. */
#ifndef PARLEY_API_KB_HANDLERS_H
#define PARLEY_API_KB_HANDLERS_H
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

/* True when the caller reads the knowledge base as staff (internal articles, drafts). */
bool kb_reader_is_staff(struct request *r);

/* GET /api/v1/kb/articles: article summaries (?category, ?tag, ?lang, ?status for staff, paging). */
enum err api_kb_articles_list(struct request *r);
/* POST /api/v1/kb/articles: a new article or guide → 201 the article. */
enum err api_kb_articles_create(struct request *r);
/* GET /api/v1/kb/articles/{id}: one article (?search_id= records that a search led here). */
enum err api_kb_articles_get(struct request *r);
/* PATCH /api/v1/kb/articles/{id}: changes an article (a new version). */
enum err api_kb_articles_update(struct request *r);
/* GET /api/v1/kb/articles/{id}/versions: the version history, newest first. */
enum err api_kb_versions_list(struct request *r);
/* GET /api/v1/kb/articles/{id}/versions/{version}: one version's content. */
enum err api_kb_versions_get(struct request *r);
/* POST /api/v1/kb/articles/{id}/versions/{version}/restore: that content as the newest version. */
enum err api_kb_versions_restore(struct request *r);
/* POST /api/v1/kb/articles/{id}/feedback: {helpful, comment?} "did this help?". */
enum err api_kb_feedback(struct request *r);
/* GET /api/v1/kb/articles/{id}/guide?path=: walks a troubleshooting guide. */
enum err api_kb_guide_walk(struct request *r);

/* GET /api/v1/kb/categories: the category tree as a list, parents first. */
enum err api_kb_categories_list(struct request *r);
/* POST /api/v1/kb/categories: {name, parent_id?, description?, position?}. */
enum err api_kb_categories_create(struct request *r);
/* PATCH /api/v1/kb/categories/{id}: renames, moves or reorders a category. */
enum err api_kb_categories_update(struct request *r);
/* DELETE /api/v1/kb/categories/{id}: deletes an empty category. */
enum err api_kb_categories_delete(struct request *r);

/* POST /api/v1/kb/files, each chunk of the multipart body: streamed into the blob store. */
enum err api_kb_files_chunk(struct request *r, const char *data, size_t len);
/* POST /api/v1/kb/files: records the uploaded image or file → 201 {id, url, markdown, …}. */
enum err api_kb_files_upload(struct request *r);
/* GET /api/v1/kb/files/{id}: the file, for whoever may read an article showing it; images inline. */
enum err api_kb_files_download(struct request *r);

/* GET /api/v1/kb/search: ranked articles with highlighted snippets (?q, ?lang, ?category, paging). */
enum err api_kb_search(struct request *r);
/* GET /api/v1/kb/recommend: the articles most likely to answer ?text= (a draft ticket). */
enum err api_kb_recommend(struct request *r);
/* GET /api/v1/admin/kb/report: searches with no good answer, views, feedback. */
enum err api_kb_report(struct request *r);

#endif
