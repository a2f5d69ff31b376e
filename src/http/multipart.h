/* A streaming multipart/form-data parser (RFC 7578): bodies are fed in chunks of any size and
 * parts come out through callbacks, so uploads are never held in memory. */
#ifndef PARLEY_HTTP_MULTIPART_H
#define PARLEY_HTTP_MULTIPART_H
#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

#define MULTIPART_BOUNDARY_MAX 70
#define MULTIPART_HEADERS_MAX 8192

/* What the parser reports; a non-zero return from a callback stops the parse with that value. */
struct multipart_callbacks {
    int (*part_begin)(void *ctx, const char *name, const char *filename, const char *content_type);
    int (*part_data)(void *ctx, const char *data, size_t len);
    int (*part_end)(void *ctx);
};

struct multipart {
    const struct multipart_callbacks *cb;
    void *ctx;
    char delimiter[MULTIPART_BOUNDARY_MAX + 5]; /* "\r\n--" + boundary */
    size_t dlen;
    int state;
    struct strbuf buf;          /* bytes not yet handled */
    char error[128];
};

/* Reads the boundary of a Content-Type header value ("multipart/form-data; boundary=…") into
 * out (MULTIPART_BOUNDARY_MAX+1 bytes); false when it is not multipart/form-data. */
bool multipart_boundary(const char *content_type, char *out);
/* Prepares a parser for boundary with callbacks cb and their context. */
void multipart_init(struct multipart *m, const char *boundary, const struct multipart_callbacks *cb, void *ctx);
/* Feeds the next bytes. Returns 0, a callback's non-zero value, or -1 on malformed input
 * (m->error says what). */
int multipart_feed(struct multipart *m, const char *data, size_t len);
/* Ends the input: -1 when the body stopped before the closing boundary. */
int multipart_finish(struct multipart *m);
/* Frees the parser's buffer. */
void multipart_free(struct multipart *m);

#endif
