/* A growable byte string with a size cap (like curl's dynbuf): appends fail past the cap. */
#ifndef PARLEY_UTIL_STRBUF_H
#define PARLEY_UTIL_STRBUF_H
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *data;     /* always NUL-terminated when not NULL */
    size_t len, cap;
    size_t max;     /* appends that would pass this many bytes fail */
};

/* Prepares an empty buffer that refuses to grow past max bytes (0 means no cap). */
void strbuf_init(struct strbuf *sb, size_t max);
/* Appends n bytes; false (buffer unchanged) when the cap would be passed. */
bool strbuf_add(struct strbuf *sb, const void *p, size_t n);
/* Appends a NUL-terminated string. */
bool strbuf_adds(struct strbuf *sb, const char *s);
/* Appends one byte. */
bool strbuf_addc(struct strbuf *sb, char c);
/* Appends printf-formatted text. */
bool strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included ('<', '>', '&' escaped too: safe in HTML). */
bool strbuf_add_json_string(struct strbuf *sb, const char *s);
/* The same for the n bytes at s (a NUL among them is escaped). */
bool strbuf_add_json_stringn(struct strbuf *sb, const char *s, size_t n);
/* Returns the contents (caller frees) and leaves the buffer empty; never NULL. */
char *strbuf_take(struct strbuf *sb, size_t *len);
/* Empties the buffer, keeping its memory. */
void strbuf_clear(struct strbuf *sb);
/* Frees the contents. */
void strbuf_free(struct strbuf *sb);

#endif
