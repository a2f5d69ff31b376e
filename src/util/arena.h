/* A bump allocator: everything a request allocates comes from its arena and is freed at once. */
#ifndef PARLEY_UTIL_ARENA_H
#define PARLEY_UTIL_ARENA_H
#include <stddef.h>

struct arena_block;
struct arena {
    struct arena_block *head;
    size_t block_size;
};

/* Prepares an empty arena whose blocks hold at least block_size bytes. */
void arena_init(struct arena *a, size_t block_size);
/* Returns size bytes aligned for any type, owned by the arena; aborts on out-of-memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Like arena_alloc, zero-filled. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies a NUL-terminated string into the arena (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* Copies n bytes and adds a NUL terminator. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Formats like printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every block; the arena can be used again afterwards. */
void arena_reset(struct arena *a);

#endif
