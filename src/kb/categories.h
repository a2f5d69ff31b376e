/* Knowledge-base categories: a tree (each may have a parent), ordered by position then name. */
#ifndef PARLEY_KB_CATEGORIES_H
#define PARLEY_KB_CATEGORIES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define KB_CATEGORY_NAME_MAX 100
#define KB_CATEGORY_DESCRIPTION_MAX 2000

/* A category to create, or the changes to one (NULL / has_* false: unchanged). */
struct kb_category_in {
    const char *name, *description;
    bool has_parent, has_position;
    int64_t parent_id;          /* 0: at the top */
    int64_t position;
};

/* Creates a category (audited); its id in *id. 422 for a bad name or a missing parent. */
enum err kb_category_create(struct db *db, const struct actor *by, const struct kb_category_in *in, int64_t *id,
                            struct failure *f);
/* Changes a category; moving it under itself or one of its descendants is refused (422). */
enum err kb_category_update(struct db *db, const struct actor *by, int64_t id, const struct kb_category_in *in,
                            struct failure *f);
/* Deletes an empty category; 409 while it has subcategories or articles. */
enum err kb_category_delete(struct db *db, const struct actor *by, int64_t id, struct failure *f);
/* One category {id, parent_id, name, description, position, created_at}; NULL when absent (*e). */
json_t *kb_category_get(struct db *db, int64_t id, enum err *e);
/* Every category, parents before children, as category objects; NULL on a database error. */
json_t *kb_category_list(struct db *db);
/* The ids of category id and all its descendants, sorted ascending, in *ids (caller frees);
 * DB_DONE with *n = 0 when there is no such category, negative on a database error. */
int kb_category_subtree(struct db *db, int64_t id, int64_t **ids, size_t *n);

#endif
