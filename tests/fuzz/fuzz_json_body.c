/* libFuzzer target: JSON request bodies and the field readers behind them; every body that
 * parses is written back with json_write (the responses' writer), which must give JSON that
 * parses to the same value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "http/body.h"
#include "util/json_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *v = body_parse_json((const char *)data, size, err, sizeof err);
    if (v) {
        struct strbuf sb;
        strbuf_init(&sb, 0);
        if (!json_write(&sb, v))
            abort();
        json_t *back = json_loadb(sb.data, sb.len, JSON_DECODE_ANY, NULL);
        if (!back || !json_equal(v, back))
            abort();
        json_decref(back);
        strbuf_free(&sb);
    }
    json_decref(v);
    return 0;
}
