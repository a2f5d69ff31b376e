/* Recognising a file's type from its first bytes with libmagic (the declared type is not
 * trusted). One shared, locked libmagic handle. */
#ifndef PARLEY_UTIL_FILETYPE_H
#define PARLEY_UTIL_FILETYPE_H
#include <stdbool.h>
#include <stddef.h>

struct filetype;

/* Loads libmagic's database; NULL when it cannot. */
struct filetype *filetype_create(void);
/* Frees it. */
void filetype_destroy(struct filetype *ft);
/* Writes the MIME type of the bytes at head (the start of a file) into out, e.g. "image/png";
 * "application/octet-stream" when unknown. */
void filetype_sniff(struct filetype *ft, const void *head, size_t len, char *out, size_t cap);

#endif
