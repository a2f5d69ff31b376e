/* libFuzzer target: the classifier's model loader (clf_load) reads bytes from the database; bad
 * bytes must give an error, never a crash, a read out of bounds or an allocation out of proportion
 * to them, and a model it accepts must predict sensibly (a label, a probability in 0..1) and save
 * again. The loader checks a hash of the whole file, which random bytes never match, so the first
 * byte picks how the rest is used:
 *   0: as they are (magic, version, hash, lengths);
 *   1: followed by their correct hash (every field behind the hash check);
 *   2: as (offset, byte) patches to a small trained model, then its hash corrected, and cut to a
 *      length taken from the first patch (well-formed files with a few bad values). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ai/classifier.h"
#include "ai/hash.h"

static unsigned char *seed;
static size_t seed_len;

/* A small model of three labels (one "oos") in seed/seed_len, once. */
static void make_seed(void)
{
    static const clf_example ex[] = {
        { "refund my card payment", "billing" }, { "charged twice on my invoice", "billing" },
        { "where is my parcel", "shipping" },   { "the package is late", "shipping" },
        { "tell me a joke", CLF_OOS_LABEL },     { "what is the weather", CLF_OOS_LABEL },
    };
    clf_params p;
    clf_model *m;
    clf_params_default(&p);
    p.folds = 0;
    p.threads = 1;
    if (clf_train(ex, sizeof ex / sizeof ex[0], &p, &m) != CLF_OK ||
        clf_save(m, &seed, &seed_len) != CLF_OK)
        abort();
    clf_free(m);
}

/* Writes the loader's hash of b[0..n) at b + n. */
static void put_hash(unsigned char *b, size_t n)
{
    uint64_t h = hash_final(hash_add(hash_init('m'), b, n));
    for (int i = 0; i < 8; i++)
        b[n + i] = (unsigned char)(h >> (8 * i));
}

/* A model clf_load accepted must predict, explain and save again. */
static void use(clf_model *m, const uint8_t *data, size_t size)
{
    static const char text[] = "please refund my late parcel";
    clf_ctx *c = clf_ctx_new(m);
    clf_prediction pr;
    unsigned char *buf;
    size_t len;
    clf_model *again = NULL;
    if (!c || clf_predict(m, c, text, sizeof text - 1, &pr) != CLF_OK || !pr.label ||
        !(pr.confidence >= 0 && pr.confidence <= 1.0001f) ||
        clf_predict(m, c, (const char *)data, size, &pr) != CLF_OK || !pr.label ||
        !(pr.confidence >= 0 && pr.confidence <= 1.0001f) || pr.nwhy > CLF_MAX_WHY)
        abort();
    if (clf_save(m, &buf, &len) != CLF_OK || clf_load(buf, len, &again) != CLF_OK)
        abort();
    clf_free(again);
    free(buf);
    clf_ctx_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *buf;
    size_t len;
    clf_model *m = NULL;
    int rc;
    if (!seed)
        make_seed();
    if (size < 1)
        return 0;
    if (data[0] % 3 == 0) {
        len = size - 1;
        buf = malloc(len + 1);
        memcpy(buf, data + 1, len);
    } else if (data[0] % 3 == 1) {
        len = size - 1 + 8;
        buf = malloc(len);
        memcpy(buf, data + 1, size - 1);
        put_hash(buf, size - 1);
    } else {
        size_t body = seed_len - 8;
        buf = malloc(seed_len);
        memcpy(buf, seed, seed_len);
        for (size_t i = 1; i + 3 <= size; i += 3)
            buf[((size_t)data[i] << 8 | data[i + 1]) % body] = data[i + 2];
        if (size >= 4 && data[3] & 1) /* cut the body short */
            body = ((size_t)data[1] << 8 | data[2]) % body;
        put_hash(buf, body);
        len = body + 8;
    }
    rc = clf_load(buf, len, &m);
    if ((rc == CLF_OK) != (m != NULL) ||
        (rc != CLF_OK && rc != CLF_EFORMAT && rc != CLF_EVERSION && rc != CLF_ELANG))
        abort();
    if (m)
        use(m, data, size);
    clf_free(m);
    free(buf);
    return 0;
}
