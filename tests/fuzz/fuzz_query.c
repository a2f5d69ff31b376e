/* libFuzzer target: URL query strings. */
#include <stddef.h>
#include <stdint.h>

#include "http/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a, 4096);
    struct query_param *params;
    int n;
    if (query_parse((const char *)data, size, &a, &params, &n))
        for (int i = 0; i < n; i++)
            (void)params[i].value[0];
    arena_reset(&a);
    return 0;
}
