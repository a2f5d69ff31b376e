/* The API's route table. */
#ifndef PARLEY_API_ROUTES_H
#define PARLEY_API_ROUTES_H
#include <stddef.h>

#include "http/router.h"

/* Every route the server answers, in match order. */
extern const struct route api_routes[];
/* How many entries api_routes has. */
extern const size_t api_routes_count;

#endif
