/* Macros: named Markdown templates with placeholders and optional ticket actions (status,
 * priority, tags to add and remove, assignee, team). Personal macros belong to one agent;
 * shared ones (no owner) are seen by every agent and managed by admins. */
#ifndef PARLEY_MACROS_MACROS_H
#define PARLEY_MACROS_MACROS_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "users/principal.h"
#include "util/error.h"

#define MACRO_NAME_MAX 100
#define MACRO_BODY_MAX 20000

/* A page of the macros me may use (me's personal ones and the shared ones) in id order after
 * cursor, as a JSON array of macro objects; NULL on a database error. Caller owns it. */
json_t *macros_list(struct db *db, const struct principal *me, int64_t cursor, int limit);
/* The macro object {id, name, body, actions, shared, owner_id, created_at, updated_at} when me
 * may use it, else NULL with *e ERR_NOT_FOUND (or ERR_INTERNAL). Caller owns it. */
json_t *macros_get(struct db *db, const struct principal *me, int64_t id, enum err *e);
/* Creates a macro from in {name, body, actions?, shared?} (shared ones need an admin: else
 * ERR_FORBIDDEN); 422 naming the field when a value is wrong. Fills *id. */
enum err macros_create(struct db *db, const struct principal *me, json_t *in, int64_t *id, struct failure *f);
/* Changes the members of in that are given (name, body, actions, shared) of macro id. */
enum err macros_update(struct db *db, const struct principal *me, int64_t id, json_t *in, struct failure *f);
/* Deletes macro id (me's own, or a shared one when me is an admin). */
enum err macros_delete(struct db *db, const struct principal *me, int64_t id, struct failure *f);

#endif
