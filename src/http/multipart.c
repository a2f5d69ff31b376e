#include "http/multipart.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { PREAMBLE, AFTER_BOUNDARY, HEADERS, BODY, END, FAILED };

bool multipart_boundary(const char *content_type, char *out)
{
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0)
        return false;
    const char *p = strcasestr(content_type, "boundary=");
    if (!p)
        return false;
    p += 9;
    size_t n = 0;
    if (*p == '"') {
        p++;
        while (p[n] && p[n] != '"')
            n++;
    } else {
        while (p[n] && p[n] != ';' && !isspace((unsigned char)p[n]))
            n++;
    }
    if (n == 0 || n > MULTIPART_BOUNDARY_MAX)
        return false;
    memcpy(out, p, n);
    out[n] = 0;
    return true;
}

void multipart_init(struct multipart *m, const char *boundary, const struct multipart_callbacks *cb, void *ctx)
{
    memset(m, 0, sizeof *m);
    m->cb = cb;
    m->ctx = ctx;
    m->dlen = (size_t)snprintf(m->delimiter, sizeof m->delimiter, "\r\n--%s", boundary);
    m->state = PREAMBLE;
    strbuf_init(&m->buf, 0);
    /* the first boundary may start the body without a line break before it */
    strbuf_add(&m->buf, "\r\n", 2);
}

static int failed(struct multipart *m, const char *why)
{
    snprintf(m->error, sizeof m->error, "malformed multipart body: %s", why);
    m->state = FAILED;
    return -1;
}

static void consume(struct multipart *m, size_t n)
{
    memmove(m->buf.data, m->buf.data + n, m->buf.len - n);
    m->buf.len -= n;
    m->buf.data[m->buf.len] = 0;
}

/* Copies the value of parameter key (name= or filename=) of a Content-Disposition line. */
static bool disposition_param(const char *line, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = line; (p = strcasestr(p, key)) != NULL; p += klen) {
        if (p != line && p[-1] != ' ' && p[-1] != ';' && p[-1] != '\t')
            continue;
        const char *v = p + klen;
        size_t n = 0;
        if (*v == '"') {
            v++;
            while (v[n] && v[n] != '"' && n + 1 < cap)
                n++;
        } else {
            while (v[n] && v[n] != ';' && v[n] != '\r' && n + 1 < cap)
                n++;
        }
        memcpy(out, v, n);
        out[n] = 0;
        return true;
    }
    return false;
}

static int parse_headers(struct multipart *m, size_t end)
{
    char name[256] = "", filename[256] = "", type[128] = "";
    bool has_filename = false, disposition = false;
    m->buf.data[end] = 0; /* the headers as a string; the bytes after are consumed below */
    for (char *line = m->buf.data; line && *line;) {
        char *next = strstr(line, "\r\n");
        if (next)
            *next = 0;
        if (strncasecmp(line, "Content-Disposition:", 20) == 0) {
            disposition = true;
            disposition_param(line + 20, "name=", name, sizeof name);
            has_filename = disposition_param(line + 20, "filename=", filename, sizeof filename);
        } else if (strncasecmp(line, "Content-Type:", 13) == 0) {
            const char *v = line + 13;
            while (*v == ' ' || *v == '\t')
                v++;
            snprintf(type, sizeof type, "%s", v);
        }
        line = next ? next + 2 : NULL;
    }
    if (!disposition || !*name)
        return failed(m, "a part has no Content-Disposition name");
    consume(m, end + 4);
    m->state = BODY;
    return m->cb->part_begin(m->ctx, name, has_filename ? filename : NULL, *type ? type : NULL);
}

int multipart_feed(struct multipart *m, const char *data, size_t len)
{
    if (m->state == FAILED)
        return -1;
    if (m->state == END)
        return 0;
    strbuf_add(&m->buf, data, len);
    for (;;) {
        char *buf = m->buf.data;
        size_t n = m->buf.len;
        int rc = 0;
        if (m->state == PREAMBLE) {
            char *p = memmem(buf, n, m->delimiter, m->dlen);
            if (!p) {
                if (n >= m->dlen)
                    consume(m, n - (m->dlen - 1));
                return 0;
            }
            consume(m, (size_t)(p - buf) + m->dlen);
            m->state = AFTER_BOUNDARY;
        } else if (m->state == AFTER_BOUNDARY) {
            if (n < 2)
                return 0;
            if (buf[0] == '-' && buf[1] == '-') {
                m->state = END;
                return 0;
            }
            /* transport padding (spaces, tabs) may follow a boundary */
            size_t k = 0;
            while (k < n && (buf[k] == ' ' || buf[k] == '\t'))
                k++;
            if (n - k < 2)
                return 0;
            if (buf[k] != '\r' || buf[k + 1] != '\n')
                return failed(m, "a boundary is not followed by a line break");
            consume(m, k + 2);
            m->state = HEADERS;
        } else if (m->state == HEADERS) {
            char *p = memmem(buf, n, "\r\n\r\n", 4);
            if (!p) {
                if (n > MULTIPART_HEADERS_MAX)
                    return failed(m, "part headers are too long");
                return 0;
            }
            if ((rc = parse_headers(m, (size_t)(p - buf))) != 0)
                return rc;
        } else if (m->state == BODY) {
            char *p = memmem(buf, n, m->delimiter, m->dlen);
            size_t emit = p ? (size_t)(p - buf) : (n >= m->dlen ? n - (m->dlen - 1) : 0);
            if (emit && (rc = m->cb->part_data(m->ctx, buf, emit)) != 0)
                return rc;
            consume(m, emit);
            if (!p)
                return 0;
            consume(m, m->dlen);
            m->state = AFTER_BOUNDARY;
            if ((rc = m->cb->part_end(m->ctx)) != 0)
                return rc;
        } else {
            return 0;
        }
    }
}

int multipart_finish(struct multipart *m)
{
    if (m->state == END)
        return 0;
    if (m->state == FAILED)
        return -1;
    return failed(m, "the body ends before the closing boundary");
}

void multipart_free(struct multipart *m)
{
    strbuf_free(&m->buf);
}
