#include "http/request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "store/pool.h"
#include "util/json_write.h"

const char *req_header(struct request *r, const char *name)
{
    return r->header_fn ? r->header_fn(r->conn, name) : NULL;
}

const char *req_query(struct request *r, const char *key)
{
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].key, key) == 0)
            return r->query[i].value;
    return NULL;
}

const char *req_cookie(struct request *r, const char *name)
{
    const char *h = req_header(r, "Cookie");
    size_t nlen = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        size_t len = strcspn(h, ";");
        if (len > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=')
            return arena_strndup(&r->arena, h + nlen + 1, len - nlen - 1);
        h += len;
    }
    return NULL;
}

struct db *req_db(struct request *r)
{
    if (!r->db)
        r->db = db_pool_acquire(r->app->pool);
    return r->db;
}

void req_add_header(struct request *r, const char *name, const char *value)
{
    if (r->nheaders < REQ_MAX_HEADERS) {
        r->header_names[r->nheaders] = name;
        r->header_values[r->nheaders++] = value;
    }
}

enum err req_fail(struct request *r, enum err e, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->err = e;
    r->err_message = arena_strdup(&r->arena, msg);
    r->err_field = field ? arena_strdup(&r->arena, field) : NULL;
    return e;
}

enum err req_failure(struct request *r, enum err e, const struct failure *f)
{
    return req_fail(r, e, f->field[0] ? f->field : NULL, "%s", f->message[0] ? f->message : err_code(e));
}

enum err req_json(struct request *r, int status, json_t *value)
{
    strbuf_free(&r->out);
    strbuf_init(&r->out, 0);
    bool ok = json_write(&r->out, value);
    json_decref(value);
    if (!ok)
        return req_fail(r, ERR_INTERNAL, NULL, "could not encode the response");
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    return ERR_OK;
}

enum err req_empty(struct request *r, int status)
{
    strbuf_clear(&r->out);
    r->status = status;
    r->content_type = NULL;
    return ERR_OK;
}
