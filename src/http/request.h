/* One HTTP request as the handlers see it: input (method, path, parameters, JSON body),
 * the per-request arena, and the response they build. Independent of libmicrohttpd. */
#ifndef PARLEY_HTTP_REQUEST_H
#define PARLEY_HTTP_REQUEST_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

struct app;
struct route;
struct db;
struct principal;

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 16

struct query_param {
    const char *key, *value;
};

struct request {
    struct app *app;
    struct arena arena;             /* freed when the request ends */
    const char *method;
    const char *path;               /* decoded, without the query string */
    const char *raw_query;          /* the text after '?', or "" */
    struct query_param *query;      /* decoded query parameters, in order */
    int nquery;
    const char *params[REQ_MAX_PARAMS]; /* values of {name} segments, in pattern order */
    const struct route *route;
    const char *client_ip;
    void *conn;                     /* the server's connection handle, for header lookups */
    const char *(*header_fn)(void *conn, const char *name);
    struct strbuf body;             /* raw body, capped at the route's limit */
    json_t *json;                   /* the parsed JSON body (owned), or NULL */
    size_t body_received;           /* bytes of a streamed body so far */
    void *stream;                   /* a streaming handler's state */
    void (*cleanup)(struct request *r); /* called when the request ends, answered or not */
    struct db *db;                  /* borrowed from the pool on first use */
    struct principal *me;           /* the signed-in caller, or NULL */

    /* the response */
    int status;
    const char *content_type;
    struct strbuf out;
    int file_fd;                    /* >= 0: the body is this file (closed by the server) */
    bool event_stream;              /* the body is the caller's live event stream (SSE) */
    int64_t file_size;
    const char *header_names[REQ_MAX_HEADERS];
    const char *header_values[REQ_MAX_HEADERS];
    int nheaders;
    enum err err;
    const char *err_message;
    const char *err_field;
    int64_t start_us;
};

/* The value of request header name (case-insensitive), or NULL. */
const char *req_header(struct request *r, const char *name);
/* The first query parameter called key, or NULL. */
const char *req_query(struct request *r, const char *key);
/* The database connection for this request, borrowed from the pool on first use; NULL when
 * the database cannot be reached (the request then fails with ERR_INTERNAL). */
struct db *req_db(struct request *r);
/* Adds a response header; name and value must live as long as the request (e.g. arena). */
void req_add_header(struct request *r, const char *name, const char *value);
/* The value of cookie name from the Cookie header (arena copy), or NULL. */
const char *req_cookie(struct request *r, const char *name);
/* Records an error for the response and returns it: a handler ends with `return req_fail(...)`.
 * field may be NULL; message is printf-formatted into the arena. */
enum err req_fail(struct request *r, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sets a JSON response: status and the JSON text of value, which it takes over (decref). */
enum err req_json(struct request *r, int status, json_t *value);
/* Records a domain failure as the response error (its field and message). */
enum err req_failure(struct request *r, enum err e, const struct failure *f);
/* Sets a response with no body (e.g. 204). */
enum err req_empty(struct request *r, int status);

#endif
