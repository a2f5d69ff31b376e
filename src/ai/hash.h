/* hash: the 64-bit string hash shared by the AI modules (feature ids, vocabularies). */
#ifndef PARLEY_AI_HASH_H
#define PARLEY_AI_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Continues a hash h (start from hash_init(kind)) over p[0..n): FNV-1a. */
static inline uint64_t hash_add(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* A starting state that keeps hashes of different kinds of things apart. */
static inline uint64_t hash_init(unsigned char kind)
{
    return hash_add(0xcbf29ce484222325ULL, &kind, 1);
}

/* Mixes a finished hash (splitmix64 finaliser); never returns 0, which tables use as empty. */
static inline uint64_t hash_final(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h ? h : 1;
}

#endif
