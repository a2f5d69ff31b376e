/* strhash: the 32-bit FNV-1a hash of a NUL-terminated string, for small in-memory tables
 * (statement caches, rate-limit slots, n-gram indexes). Not for anything an attacker must not
 * steer into collisions across a table of unbounded size. */
#ifndef PARLEY_UTIL_STRHASH_H
#define PARLEY_UTIL_STRHASH_H
#include <stdint.h>

/* The FNV-1a hash of s. */
static inline uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
