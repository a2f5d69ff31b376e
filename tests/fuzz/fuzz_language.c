/* libFuzzer target: a text's language fingerprint (src/ai/lang_fingerprint.c) must be the one
 * libexttextcat's fp_Create and fp_Print give, n-gram for n-gram and in the same order, whatever
 * the bytes and the sample size; and it must never read past the text it is given. */
#include <fingerprint.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/lang_fingerprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lang_fp fp;
    if (size < 2)
        return 0;
    size_t sample = 1 + ((size_t)data[0] << 8 | data[1]) % 1100;
    data += 2;
    size -= 2;
    lang_fp_build(&fp, (const char *)data, size, sample); /* unterminated: ASan sees any over-read */
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0; /* libexttextcat reads up to a NUL */
    size_t n = lang_fp_build(&fp, text, size, sample);
    void *ref = fp_Init(NULL);
    char *want = NULL;
    size_t wsize = 0;
    fp_SetProperty(ref, TCPROP_UTF8AWARE, TC_TRUE);
    if (fp_Create(ref, text, (uint4)sample, LANG_FP_GRAMS)) {
        FILE *f = open_memstream(&want, &wsize);
        if (!f)
            abort();
        fp_Print(ref, f);
        fclose(f);
    }
    fp_Done(ref);
    const char *line = want ? want : "";
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(fp.gram[i]);
        if (strncmp(line, fp.gram[i], l) != 0 || line[l] != '\n')
            abort();
        line += l + 1;
    }
    if (*line)
        abort();
    free(want);
    free(text);
    return 0;
}
