/* Reading and checking the fields of a JSON request body and the paging parameters; every
 * problem becomes a 422 naming the field (400 for malformed parameters). Unknown fields are ignored. */
#ifndef PARLEY_API_INPUT_H
#define PARLEY_API_INPUT_H
#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"
#include "users/users.h"

/* Reads string field key of the body into *out (NULL when absent or null). Fails when it is
 * another type, required and missing or blank, or longer than max bytes. */
enum err in_string(struct request *r, const char *key, bool required, size_t max, const char **out);
/* Reads a boolean field; *present says whether it was given. */
enum err in_bool(struct request *r, const char *key, bool *present, bool *out);
/* Reads an integer field within [min, max]; *present says whether it was given. */
enum err in_int(struct request *r, const char *key, int64_t min, int64_t max, bool *present, int64_t *out);
/* Reads an array field (borrowed reference, NULL when absent). */
enum err in_array(struct request *r, const char *key, json_t **out);
/* Parses path parameter i as a positive id; ERR_NOT_FOUND when it is not one. */
enum err in_path_id(struct request *r, int i, int64_t *out);
/* Reads ?limit= (default 50, 1..200) and ?cursor= (an id from next_cursor; 0 when absent). */
enum err in_page(struct request *r, int *limit, int64_t *cursor);
/* Answers {"items": items, "next_cursor": last id as text when the page is full, else null};
 * takes over items. */
enum err out_page(struct request *r, json_t *items, int limit);

/* The caller as the actor of audited changes. */
struct actor req_actor(struct request *r);

#endif
