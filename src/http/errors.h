/* The one place that maps error codes to HTTP statuses and writes the JSON error body. */
#ifndef PARLEY_HTTP_ERRORS_H
#define PARLEY_HTTP_ERRORS_H
#include "http/request.h"

/* The HTTP status of an error code. */
int err_status(enum err e);
/* Replaces r's response with {"error":{"code","message","field"?}} for r->err. */
void errors_respond(struct request *r);

#endif
