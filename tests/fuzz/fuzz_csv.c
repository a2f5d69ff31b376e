/* libFuzzer target: the CSV reader must never crash, and what it returns
 * must be consistent (fields inside the record, lines that only grow). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader r;
    csv_record rec;
    size_t last_line = 0;
    int rc;
    csv_reader_init(&r, (const char *)data, size);
    while ((rc = csv_read(&r, &rec)) == CSV_OK) {
        if (rec.n == 0 || r.rec_line < last_line)
            abort();
        last_line = r.rec_line;
        for (size_t i = 0; i < rec.n; i++)
            if (rec.len[i] > size || rec.f[i][rec.len[i]] != 0)
                abort();
    }
    if (rc != CSV_END && (r.err_line < last_line || !csv_strerror(rc)))
        abort();
    csv_reader_free(&r);
    return 0;
}
