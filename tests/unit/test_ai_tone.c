/* Unit tests of the tone check (src/ai/tone.c). Project headers come before cmocka.h, which
 * defines a fail() macro. */
#include "ai/tone.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static struct tone_result res;

/* Checks s and returns how many findings of kind there are. */
static size_t count(enum tone_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < res.n; i++)
        n += res.items[i].kind == kind;
    return n;
}

static const struct tone_finding *first(enum tone_kind kind)
{
    for (size_t i = 0; i < res.n; i++)
        if (res.items[i].kind == kind)
            return &res.items[i];
    return NULL;
}

static void check(const char *s, const char *lang)
{
    assert_int_equal(tone_check(s, strlen(s), lang, NULL, 0, &res), 0);
}

static void test_clean_reply(void **state)
{
    check("Hi Anna,\n\nthe refund is on its way and should arrive on Monday.\n\nBest regards,\nTom", "en");
    assert_int_equal(res.n, 0);
    assert_int_equal(res.score, 100);
    assert_string_equal(res.language, "en");
}

static void test_blame_negative_spans(void **state)
{
    const char *s = "Hello, as I ALREADY said, this is your fault. Unfortunately we can't help. Regards";
    check(s, "en");
    const struct tone_finding *b = first(TONE_BLAME);
    assert_non_null(b);
    assert_int_equal(b->end - b->start, strlen("as I ALREADY said"));
    assert_memory_equal(s + b->start, "as I ALREADY said", b->end - b->start);
    assert_int_equal(count(TONE_BLAME), 2);     /* "as i already said", "your fault" */
    assert_int_equal(count(TONE_NEGATIVE), 2);  /* "unfortunately", "we can't" */
    assert_non_null(first(TONE_NEGATIVE)->suggestion);
    assert_int_equal(count(TONE_NO_GREETING) + count(TONE_NO_CLOSING), 0);
    assert_int_equal(res.score, 100 - 2 * 15 - 2 * 5);
    assert_string_equal(tone_kind_name(TONE_BLAME), "blame");
}

static void test_shouting(void **state)
{
    check("Hi, PLEASE READ THE MANUAL. The API and the UI are fine!!! Thanks", "en");
    assert_int_equal(count(TONE_SHOUTING), 2); /* the capital run and "!!!" ("API and the UI" is not one) */
    const struct tone_finding *f = first(TONE_SHOUTING);
    assert_int_equal(f->start, 4);
    assert_int_equal(f->end, 4 + strlen("PLEASE READ THE MANUAL"));
    check("Hi, ÜBERALL FEHLER HEUTE. Danke", "de");
    assert_int_equal(count(TONE_SHOUTING), 1);
}

static void test_greeting_closing_and_long(void **state)
{
    check("the refund is on its way", "en");
    assert_int_equal(count(TONE_NO_GREETING), 1);
    assert_int_equal(count(TONE_NO_CLOSING), 1);
    assert_string_equal(first(TONE_NO_GREETING)->suggestion, "Hello,");
    assert_int_equal(first(TONE_NO_CLOSING)->start, strlen("the refund is on its way"));
    char longs[1024] = "Hello, ";
    for (int i = 0; i < 40; i++)
        strcat(longs, "word ");
    strcat(longs, "end. Short one. Thanks");
    check(longs, "en");
    assert_int_equal(count(TONE_LONG_SENTENCE), 1);
    assert_int_equal(first(TONE_LONG_SENTENCE)->start, 0);
}

static void test_other_languages(void **state)
{
    check("Guten Tag, leider ist das Ihre Schuld. Mit freundlichen Grüßen", "de");
    assert_string_equal(res.language, "de");
    assert_int_equal(count(TONE_BLAME), 1);
    assert_int_equal(count(TONE_NEGATIVE), 1);
    assert_int_equal(count(TONE_NO_GREETING) + count(TONE_NO_CLOSING), 0);
    check("Bonjour, malheureusement c'est votre faute. Cordialement", "fr");
    assert_int_equal(count(TONE_BLAME) + count(TONE_NEGATIVE), 2);
    check("Hola, lamentablemente no se puede. Saludos", "es");
    assert_int_equal(count(TONE_NEGATIVE), 2);
    assert_true(tone_has_language("es"));
    assert_false(tone_has_language("pt"));
    check("Olá, obrigado", "pt"); /* no lists: English ones, and the language-independent checks */
    assert_string_equal(res.language, "en");
}

static void test_admin_words(void **state)
{
    const struct tone_word words[] = {{"asap", "as soon as we can"}, {"per my last email", NULL}, {"", NULL}};
    const char *s = "Hi, per my last email we fix it ASAP. Thanks";
    assert_int_equal(tone_check(s, strlen(s), "en", words, 3, &res), 0);
    assert_int_equal(count(TONE_LISTED_WORD), 2);
    const struct tone_finding *f = first(TONE_LISTED_WORD);
    assert_memory_equal(s + f->start, "per my last email", f->end - f->start);
    assert_string_equal(res.items[1].suggestion, "as soon as we can");
}

static void test_bad_input(void **state)
{
    check("", "en");
    assert_int_equal(res.n, 0);
    assert_int_equal(res.score, 100);
    assert_int_equal(tone_check(NULL, 0, NULL, NULL, 0, &res), 0);
    size_t n = 1 << 20;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)(i % 251 ? (i * 7919) % 256 : '!');
    assert_int_equal(tone_check(big, n, "en", NULL, 0, &res), 0);
    assert_true(res.n <= TONE_MAX_FINDINGS);
    assert_true(res.score >= 0);
    memset(big, 'A', n); /* one megabyte-long capital word: cut into tokens, one shouting run */
    assert_int_equal(tone_check(big, n, "en", NULL, 0, &res), 0);
    assert_int_equal(count(TONE_SHOUTING), 1);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_reply),
        cmocka_unit_test(test_blame_negative_spans),
        cmocka_unit_test(test_shouting),
        cmocka_unit_test(test_greeting_closing_and_long),
        cmocka_unit_test(test_other_languages),
        cmocka_unit_test(test_admin_words),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
