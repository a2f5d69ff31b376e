/* The macros' routes (api/macros_routes.c) and handlers (api/macros.c). */
#ifndef PARLEY_API_MACROS_ROUTES_H
#define PARLEY_API_MACROS_ROUTES_H
#include "http/router.h"

/* The number of macro routes (the compiler checks it against the table). */
#define MACROS_ROUTES_COUNT 5
/* The macro routes, one group of the route table (api/routes.c). */
extern const struct route macros_routes[MACROS_ROUTES_COUNT];

/* GET /api/v1/macros?limit=&cursor= → {items, next_cursor, placeholders}: me's and the shared macros. */
enum err api_macros_list(struct request *r);
/* POST /api/v1/macros {name, body, actions?, shared?} → 201 the macro. */
enum err api_macros_create(struct request *r);
/* PATCH /api/v1/macros/{id} {name?, body?, actions?, shared?} → the macro. */
enum err api_macros_update(struct request *r);
/* DELETE /api/v1/macros/{id} → 204. */
enum err api_macros_delete(struct request *r);
/* POST /api/v1/macros/{id}/apply {ticket_id, version?} → {body, ticket}: the actions applied,
 * the body filled in for the composer. */
enum err api_macros_apply(struct request *r);

#endif
