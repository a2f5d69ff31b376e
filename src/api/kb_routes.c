/* The knowledge base's route table (joined to the others by api/routes.c). */
#include "api/kb_handlers.h"
#include "api/routes.h"
#include "attachments/attachments.h"

const struct route kb_routes[] = {
    R("GET", "/api/v1/kb/search", api_kb_search, PERM_PUBLIC),
    R("GET", "/api/v1/kb/recommend", api_kb_recommend, PERM_PUBLIC),
    R("GET", "/api/v1/kb/articles", api_kb_articles_list, PERM_PUBLIC),
    R("POST", "/api/v1/kb/articles", api_kb_articles_create, PERM_KB_WRITE),
    R("GET", "/api/v1/kb/articles/{id}", api_kb_articles_get, PERM_PUBLIC),
    R("PATCH", "/api/v1/kb/articles/{id}", api_kb_articles_update, PERM_KB_WRITE),
    R("GET", "/api/v1/kb/articles/{id}/versions", api_kb_versions_list, PERM_KB_WRITE),
    R("GET", "/api/v1/kb/articles/{id}/versions/{version}", api_kb_versions_get, PERM_KB_WRITE),
    R("POST", "/api/v1/kb/articles/{id}/versions/{version}/restore", api_kb_versions_restore, PERM_KB_WRITE),
    R("POST", "/api/v1/kb/articles/{id}/feedback", api_kb_feedback, PERM_PUBLIC),
    R("GET", "/api/v1/kb/articles/{id}/guide", api_kb_guide_walk, PERM_PUBLIC),
    R_STREAM("POST", "/api/v1/kb/files", api_kb_files_upload, PERM_KB_WRITE, ATTACHMENT_MAX + 64 * 1024, RATE_NONE,
             api_kb_files_chunk),
    R("GET", "/api/v1/kb/files/{id}", api_kb_files_download, PERM_PUBLIC),
    R("GET", "/api/v1/kb/categories", api_kb_categories_list, PERM_PUBLIC),
    R("POST", "/api/v1/kb/categories", api_kb_categories_create, PERM_KB_WRITE),
    R("PATCH", "/api/v1/kb/categories/{id}", api_kb_categories_update, PERM_KB_WRITE),
    R("DELETE", "/api/v1/kb/categories/{id}", api_kb_categories_delete, PERM_KB_WRITE),
    R("GET", "/api/v1/admin/kb/report", api_kb_report, PERM_REPORTS),
};

/* included after the table on purpose: its declaration then checks KB_ROUTES_COUNT (a count
 * that differs from the table's length is a "conflicting types" error) */
#include "api/kb_routes.h"
