#include "ai/lang_fingerprint.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHARS 5          /* n-grams of 1 to 5 characters (libexttextcat's MAXNGRAMSYMBOL) */
#define BUCKETS 8192         /* libexttextcat's hash table (1 << TABLEPOW): its order breaks ties */

/* A character of the prepared text, as libexttextcat cuts it. */
struct chr {
    uint32_t code;           /* its bytes, the lead byte lowest (no byte is 0) */
    uint32_t poly, pow;      /* what it adds to libexttextcat's hash: h = h * pow + poly */
    uint32_t off;            /* where it starts in the prepared text */
};

/* A distinct n-gram: its last character's code under the n-gram one character shorter. */
struct node {
    uint64_t key;            /* (parent node + 1) << 32 | last character's code */
    uint32_t count;
    uint32_t older;          /* the node made before it in the same bucket, UINT32_MAX: none */
    uint32_t off, len;       /* bytes of its first occurrence in the prepared text */
};

/* A heap entry: libexttextcat compares counts only. */
struct item {
    uint32_t count, node;
};

/* The working memory of one build, one allocation sized for the text. */
struct table {
    char *text;              /* the prepared text */
    struct chr *chars;       /* nchars + 1, the last one marking the end */
    size_t nchars;
    struct node *nodes;
    uint32_t nnodes;
    uint32_t *slots;         /* linear probing over nodes (index + 1; 0: empty) */
    uint32_t mask;           /* slots - 1: at least 1.5 times the most nodes the text can have */
    uint64_t used[BUCKETS / 64];     /* buckets that have nodes; head[] is valid only for these */
    uint32_t head[BUCKETS];          /* each bucket's newest node */
    struct item heap[LANG_FP_GRAMS];
    uint32_t nheap;
};

/* libexttextcat's INVALID(): isspace() or isdigit() in the C locale. */
static inline bool is_gap(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '0' && c <= '9');
}

/* Writes text[0..len) (up to a NUL) as libexttextcat's prepbuffer does into out (room for
 * min(len, sample) + 3 bytes); returns the length written. */
static size_t prepare(const char *text, size_t len, size_t sample, char *out)
{
    size_t i = 0, w = 0, limit = sample + 1;
    bool in_word = false;
    for (;;) {
        unsigned char c = i < len ? (unsigned char)text[i] : 0;
        if (is_gap(c)) {
            in_word = false;
            i++;
            continue;
        }
        if (c == 0) {
            if (!in_word)
                out[w++] = '_';
            break;
        }
        if (!in_word) {
            out[w++] = '_';
            if (w == limit)
                break;
            in_word = true;
        }
        out[w++] = (char)c;
        i++;
        if (w == limit) {
            out[w++] = '_';
            break;
        }
    }
    out[w] = 0;
    return w;
}

/* Cuts the prepared text into characters by their lead bytes, as libexttextcat's
 * utf8_charcopy does (a character stops early only at the end). */
static void cut_chars(struct table *t, size_t n)
{
    const unsigned char *s = (const unsigned char *)t->text;
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t want = s[i] < 0xC0 ? 1 : s[i] < 0xE0 ? 2 : s[i] < 0xF0 ? 3 : 4;
        struct chr *c = &t->chars[k];
        c->code = 0;
        c->poly = 0;
        c->pow = 1;
        c->off = (uint32_t)i;
        for (size_t b = 0; b < want && i < n; b++, i++) {
            c->code |= (uint32_t)s[i] << (8 * b);
            c->poly = c->poly * 31u + (uint32_t)(int32_t)(signed char)s[i];
            c->pow *= 31u;
        }
    }
    t->chars[k].off = (uint32_t)n;
    t->nchars = k;
}

/* Counts one occurrence of the n-gram parent + c (bytes [off, off+len)) whose libexttextcat hash
 * is hash; returns its node + 1. */
static uint32_t count(struct table *t, uint32_t parent, uint32_t code, uint32_t hash, uint32_t off, uint32_t len)
{
    uint64_t key = (uint64_t)parent << 32 | code;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & t->mask;
    for (;; i = (i + 1) & t->mask) {
        uint32_t s = t->slots[i];
        if (!s)
            break;
        if (t->nodes[s - 1].key == key) {
            t->nodes[s - 1].count++;
            return s;
        }
    }
    uint32_t id = t->nnodes++, b = hash & (BUCKETS - 1);
    t->nodes[id] = (struct node){key, 1, t->used[b / 64] >> (b % 64) & 1 ? t->head[b] : UINT32_MAX, off, len};
    t->used[b / 64] |= (uint64_t)1 << (b % 64);
    t->head[b] = id;
    t->slots[i] = id + 1;
    return id + 1;
}

/* libexttextcat's createngramtable: the n-grams from every character, counted. */
static void count_ngrams(struct table *t)
{
    const struct chr *ch = t->chars;
    for (size_t s = 0;; s++) {
        uint32_t parent = 0, poly = 0, pow = 1;
        for (uint32_t k = 1; k <= MAX_CHARS; k++) {
            const struct chr *c = &ch[s + k - 1];
            poly = poly * c->pow + c->poly;
            pow *= c->pow;
            /* simplehash(): h = 13 * characters, then h = 31 * h + byte over the bytes */
            parent = count(t, parent, c->code, 13u * k * pow + poly, ch[s].off, c[1].off - ch[s].off);
            if (k > 1 && (c->code & 0xFF) == '_')
                break;
            if (s + k == t->nchars)
                return;
        }
    }
}

/* libexttextcat's siftup and siftdown: a min-heap on counts where an entry moves only past a
 * strictly greater (siftdown: smaller) count, the left child first on equal children. Moving a
 * hole instead of swapping gives the same arrangement. */
static void sift_up(struct item *h, uint32_t child)
{
    struct item x = h[child];
    while (child > 0) {
        uint32_t parent = (child - 1) / 2;
        if (h[parent].count <= x.count)
            break;
        h[child] = h[parent];
        child = parent;
    }
    h[child] = x;
}

static void sift_down(struct item *h, uint32_t size)
{
    struct item x = h[0];
    uint32_t parent = 0;
    for (uint32_t child = 1; child < size; child = 2 * parent + 1) {
        if (child + 1 < size && h[child].count > h[child + 1].count)
            child++;
        if (x.count <= h[child].count)
            break;
        h[parent] = h[child];
        parent = child;
    }
    h[parent] = x;
}

/* libexttextcat's table2heap: every node, bucket by bucket and newest first in a bucket, through
 * a heap of the LANG_FP_GRAMS most frequent (an equal count replaces the root). */
static void select_top(struct table *t)
{
    for (uint32_t w = 0; w < BUCKETS / 64; w++) {
        for (uint64_t bits = t->used[w]; bits; bits &= bits - 1) {
            uint32_t b = w * 64 + (uint32_t)__builtin_ctzll(bits);
            for (uint32_t id = t->head[b]; id != UINT32_MAX; id = t->nodes[id].older) {
                struct item it = {t->nodes[id].count, id};
                if (t->nheap < LANG_FP_GRAMS) {
                    t->heap[t->nheap] = it;
                    sift_up(t->heap, t->nheap++);
                } else if (it.count >= t->heap[0].count) {
                    t->heap[0] = it;
                    sift_down(t->heap, t->nheap);
                }
            }
        }
    }
}

/* Slots for the n-grams of nchars characters: a power of two, 1.5 times the most there can be
 * (5 a character), so that a probe always ends. */
static size_t slots_for(size_t nchars)
{
    size_t n = 16;
    while (n < MAX_CHARS * nchars * 3 / 2 + 1)
        n *= 2;
    return n;
}

size_t lang_fp_build(struct lang_fp *fp, const char *text, size_t len, size_t sample)
{
    fp->n = 0;
    if (!sample)
        return 0;
    size_t room = (len < sample ? len : sample) + 3;    /* the prepared text's bound */
    size_t nslots = slots_for(room);
    /* the text gets LANG_FP_GRAM_BYTES of zeros after it, so that n-grams are copied in one size */
    struct table *t = malloc(sizeof *t + room + LANG_FP_GRAM_BYTES + room * sizeof(struct chr) +
                             MAX_CHARS * room * sizeof(struct node) + nslots * sizeof(uint32_t));
    if (!t)
        return 0;
    t->nodes = (struct node *)(t + 1);
    t->chars = (struct chr *)(t->nodes + MAX_CHARS * room);
    t->slots = (uint32_t *)(t->chars + room);
    t->text = (char *)(t->slots + nslots);
    size_t n = prepare(text, len, sample, t->text);
    memset(t->text + n, 0, LANG_FP_GRAM_BYTES);
    cut_chars(t, n);
    nslots = slots_for(t->nchars);  /* only what the characters need is cleared */
    memset(t->slots, 0, nslots * sizeof *t->slots);
    t->mask = (uint32_t)nslots - 1;
    t->nnodes = 0;
    t->nheap = 0;
    memset(t->used, 0, sizeof t->used);
    count_ngrams(t);
    select_top(t);
    /* libexttextcat's heapextract, least frequent first: it sifts before shrinking the heap */
    fp->n = t->nheap;
    for (uint32_t r = t->nheap; r-- > 0;) {
        const struct node *g = &t->nodes[t->heap[0].node];
        memcpy(fp->gram[r], t->text + g->off, LANG_FP_GRAM_BYTES);
        fp->gram[r][g->len] = 0;
        t->heap[0] = t->heap[t->nheap - 1];
        sift_down(t->heap, t->nheap);
        t->nheap--;
    }
    free(t);
    return fp->n;
}
