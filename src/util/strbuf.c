#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb, size_t max)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->max = max;
}

static bool grow(struct strbuf *sb, size_t extra)
{
    if (extra > (size_t)-1 / 2 - sb->len)
        return false;
    size_t need = sb->len + extra + 1;
    if (sb->max && need - 1 > sb->max)
        return false;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p)
        abort();
    sb->data = p;
    sb->cap = cap;
    return true;
}

bool strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
    if (!grow(sb, n))
        return false;
    if (n)
        memcpy(sb->data + sb->len, p, n);
    sb->len += n;
    sb->data[sb->len] = 0;
    return true;
}

bool strbuf_adds(struct strbuf *sb, const char *s)
{
    return strbuf_add(sb, s, strlen(s));
}

bool strbuf_addc(struct strbuf *sb, char c)
{
    return strbuf_add(sb, &c, 1);
}

bool strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    bool ok = n >= 0 && grow(sb, (size_t)n);
    if (ok) {
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
    return ok;
}

bool strbuf_add_json_string(struct strbuf *sb, const char *s) { return strbuf_add_json_stringn(sb, s, strlen(s)); }

bool strbuf_add_json_stringn(struct strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    bool ok = strbuf_addc(sb, '"');
    for (; ok && p < end; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
            continue;
        /* the plain characters before this one go in one piece */
        ok = strbuf_add(sb, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': ok = ok && strbuf_add(sb, "\\\"", 2); break;
        case '\\': ok = ok && strbuf_add(sb, "\\\\", 2); break;
        case '\n': ok = ok && strbuf_add(sb, "\\n", 2); break;
        case '\r': ok = ok && strbuf_add(sb, "\\r", 2); break;
        case '\t': ok = ok && strbuf_add(sb, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ok = ok && strbuf_add(sb, esc, 6);
        }
        }
    }
    return ok && strbuf_add(sb, run, (size_t)(end - run)) && strbuf_addc(sb, '"');
}

char *strbuf_take(struct strbuf *sb, size_t *len)
{
    char *p = sb->data ? sb->data : calloc(1, 1);
    if (!p)
        abort();
    if (len)
        *len = sb->len;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return p;
}

void strbuf_clear(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = 0;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
