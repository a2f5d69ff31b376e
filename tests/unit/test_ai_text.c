/* Unit tests of the tokenizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ai/text.h"

static void test_lower_stem_spans(void **state)
{
    text_tokenizer *t = text_tokenizer_new("en", NULL);
    text_tokens tt = { 0 };
    const char *s = "Cancelling my ORDERS, please!";
    assert_non_null(t);
    assert_int_equal(text_tokenize(t, s, strlen(s), &tt), TEXT_OK);
    assert_int_equal(tt.n, 4);
    assert_string_equal(tt.tok[0].norm, "cancelling");
    assert_string_equal(tt.tok[0].stem, "cancel");
    assert_string_equal(tt.tok[2].norm, "orders");
    assert_string_equal(tt.tok[2].stem, "order");
    assert_true(tt.tok[1].stop);
    assert_false(tt.tok[2].stop);
    assert_int_equal(tt.tok[2].start, 14);
    assert_int_equal(tt.tok[2].end, 20);
    text_tokens_free(&tt);
    text_tokenizer_free(t);
}

static void test_utf8_and_apostrophes(void **state)
{
    text_tokenizer *t = text_tokenizer_new(NULL, NULL);
    text_tokens tt = { 0 };
    const char *s = "ÉCOLE Straße ПРИВЕТ don’t \xff\xfe x";
    assert_int_equal(text_tokenize(t, s, strlen(s), &tt), TEXT_OK);
    assert_int_equal(tt.n, 5);
    assert_string_equal(tt.tok[0].norm, "école");
    assert_string_equal(tt.tok[1].norm, "straße");
    assert_string_equal(tt.tok[2].norm, "привет");
    assert_string_equal(tt.tok[3].norm, "don't");
    assert_string_equal(tt.tok[4].norm, "x"); /* invalid bytes separate */
    assert_string_equal(tt.tok[3].stem, "don't"); /* no stemmer */
    text_tokens_free(&tt);
    text_tokenizer_free(t);
}

static void test_stop_words_sorted(void **state)
{
    /* every word of the built-in list must be found (bsearch needs order) */
    static const char *words[] = { "a", "i'd", "i'm", "it's", "s", "t", "the", "yourselves", "why" };
    text_tokenizer *t = text_tokenizer_new("english", NULL);
    text_tokens tt = { 0 };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        assert_int_equal(text_tokenize(t, words[i], strlen(words[i]), &tt), TEXT_OK);
        assert_int_equal(tt.n, 1);
        assert_true(tt.tok[0].stop);
    }
    text_tokens_free(&tt);
    text_tokenizer_free(t);
}

static void test_bad_language_and_big_input(void **state)
{
    int err = 0;
    text_tokenizer *t = text_tokenizer_new("klingon", &err);
    text_tokens tt = { 0 };
    size_t n = 1 << 20;
    char *big = malloc(n);
    assert_null(t);
    assert_int_equal(err, TEXT_ELANG);
    t = text_tokenizer_new("en", NULL);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)(i * 131 % 251); /* binary noise, including NULs */
    assert_int_equal(text_tokenize(t, big, n, &tt), TEXT_OK);
    for (size_t i = 0; i < tt.n; i++)
        assert_true(tt.tok[i].norm_len <= TEXT_MAX_TOKEN);
    memset(big, 'a', n); /* one endless word is cut into pieces */
    assert_int_equal(text_tokenize(t, big, n, &tt), TEXT_OK);
    assert_int_equal(tt.n, n / TEXT_MAX_TOKEN);
    assert_int_equal(text_tokenize(t, "", 0, &tt), TEXT_OK);
    assert_int_equal(tt.n, 0);
    free(big);
    text_tokens_free(&tt);
    text_tokenizer_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower_stem_spans),
        cmocka_unit_test(test_utf8_and_apostrophes),
        cmocka_unit_test(test_stop_words_sorted),
        cmocka_unit_test(test_bad_language_and_big_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
