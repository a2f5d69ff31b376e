/* libFuzzer target: JSON request bodies and the field readers behind them. */
#include <stddef.h>
#include <stdint.h>

#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *v = body_parse_json((const char *)data, size, err, sizeof err);
    json_decref(v);
    return 0;
}
