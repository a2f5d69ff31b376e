/* libFuzzer target: the tone check and language identification take any bytes (a reply being
 * written, an incoming message): they must never crash, and what they return must be
 * consistent (spans inside the text and in order, a score in 0..100, a two-letter code or ""). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ai/language.h"
#include "ai/tone.h"

static struct lang_detector *det;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct tone_word words[] = {{"asap", "as soon as we can"}, {"per my last email", NULL}};
    static const char *const langs[] = {"en", "de", "fr", "es", "xx"};
    static struct tone_result res;
    const char *text = (const char *)data;
    if (!det && !(det = lang_open(LANG_DEFAULT_DIR, NULL, 0)))
        abort();
    if (tone_check(text, size, langs[size % 5], words, 2, &res) != 0)
        abort();
    if (res.score < 0 || res.score > 100 || res.n > TONE_MAX_FINDINGS)
        abort();
    for (size_t i = 0; i < res.n; i++)
        if (res.items[i].start > res.items[i].end || res.items[i].end > size ||
            (i && res.items[i - 1].start > res.items[i].start) || !tone_kind_name(res.items[i].kind))
            abort();
    struct lang_guess g;
    lang_detect(det, text, size, &g);
    if (g.code[0] && strlen(g.code) != 2)
        abort();
    return 0;
}
