/* libFuzzer target: multipart/form-data bodies fed in uneven chunks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/multipart.h"

static int begin(void *ctx, const char *name, const char *filename, const char *type)
{
    return name[0] == 0; /* never: the parser requires a name */
}

static int data(void *ctx, const char *d, size_t len)
{
    *(size_t *)ctx += len;
    return 0;
}

static int end(void *ctx)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
    static const struct multipart_callbacks cb = {begin, data, end};
    size_t total = 0;
    struct multipart m;
    multipart_init(&m, "XyZ", &cb, &total);
    /* the first byte picks the chunk size, so boundaries fall across chunks */
    size_t step = size ? (in[0] % 17) + 1 : 1;
    for (size_t i = 1; i < size; i += step) {
        size_t n = size - i < step ? size - i : step;
        if (multipart_feed(&m, (const char *)in + i, n) != 0)
            break;
    }
    multipart_finish(&m);
    multipart_free(&m);
    return 0;
}
