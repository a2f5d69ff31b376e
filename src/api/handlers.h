/* Every API handler, one group per resource file in src/api/; the route table is api/routes.c. */
#ifndef PARLEY_API_HANDLERS_H
#define PARLEY_API_HANDLERS_H
#include "http/request.h"

/* GET /healthz: 200 {"status":"ok","version"} when the database answers, else 503. */
enum err api_health(struct request *r);

#endif
