/* Unit tests of language identification (src/ai/language.c). Project headers come before
 * cmocka.h, which defines a fail() macro. */
#include "ai/language.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static struct lang_detector *det;

static int setup(void **state)
{
    det = lang_open(LANG_DEFAULT_DIR, NULL, 0);
    return det ? 0 : -1;
}

static int teardown(void **state)
{
    lang_close(det);
    return 0;
}

static const char *detect(const char *s)
{
    static struct lang_guess g;
    lang_detect(det, s, strlen(s), &g);
    return g.code;
}

static void test_languages(void **state)
{
    assert_true(lang_count(det) >= 40);
    assert_string_equal(detect("Hello, I cannot log in to my account since yesterday, please help me."), "en");
    assert_string_equal(detect("Guten Tag, ich kann mich seit gestern nicht mehr anmelden. Bitte helfen Sie mir."), "de");
    assert_string_equal(detect("Bonjour, je ne peux plus me connecter à mon compte depuis hier."), "fr");
    assert_string_equal(detect("Hola, no puedo iniciar sesión en mi cuenta desde ayer, por favor ayuda."), "es");
    assert_string_equal(detect("Buongiorno, non riesco ad accedere al mio account da ieri, potete aiutarmi?"), "it");
    assert_string_equal(detect("Здравствуйте, я не могу войти в свою учётную запись со вчерашнего дня."), "ru");
    assert_string_equal(detect("我从昨天开始无法登录我的帐户，请帮助我解决这个问题。谢谢你们的帮助。"), "zh");
}

static void test_unknown(void **state)
{
    struct lang_guess g;
    assert_string_equal(detect(""), "");
    assert_string_equal(detect("ok"), "");
    assert_string_equal(detect("12345 67890 !!! ???"), "");
    lang_detect(det, NULL, 0, &g);
    assert_string_equal(g.code, "");
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)((i * 7919) % 256);
    lang_detect(det, bin, sizeof bin, &g);
    assert_string_equal(g.code, "");
    assert_true(g.margin == 0);
}

static void test_mixed_and_big(void **state)
{
    assert_string_equal(detect("I cannot log in to my account since yesterday and the reset link does not work at all. "
                               "Ich kann mich nicht anmelden."),
                        "en");
    /* a megabyte costs no more than its first kilobyte; a cut inside a character is avoided */
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    const char *unit = "Der Müller öffnet die Tür. ";
    size_t ul = strlen(unit);
    for (size_t i = 0; i < n; i++)
        big[i] = unit[i % ul];
    big[n] = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct lang_guess g;
    lang_detect(det, big, n, &g);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_string_equal(g.code, "de");
    assert_true(g.margin > 0);
    assert_true((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000 < 100000);
    free(big);
}

static void test_subset_and_missing_dir(void **state)
{
    static const char *const codes[] = {"en", "de", "xx", "zh"};
    struct lang_detector *d = lang_open(LANG_DEFAULT_DIR, codes, 4);
    assert_non_null(d);
    assert_int_equal(lang_count(d), 4); /* en, de and zh's two scripts; xx has no fingerprint */
    lang_close(d);
    assert_null(lang_open("/nonexistent", NULL, 0));
    lang_close(NULL);
}

struct job {
    const char *text, *code;
};

/* Detects the same text many times; non-NULL when an answer differs from the expected one. */
static void *detect_many(void *arg)
{
    const struct job *j = arg;
    for (int i = 0; i < 50; i++) {
        struct lang_guess g;
        lang_detect(det, j->text, strlen(j->text), &g);
        if (strcmp(g.code, j->code) != 0)
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    static const struct job jobs[] = {{"Hello, I cannot log in to my account since yesterday.", "en"},
                                      {"Guten Tag, ich kann mich seit gestern nicht anmelden.", "de"},
                                      {"Bonjour, je ne peux plus me connecter depuis hier.", "fr"},
                                      {"Hola, no puedo iniciar sesión en mi cuenta desde ayer.", "es"}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, detect_many, (void *)&jobs[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        assert_null(rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_mixed_and_big),
        cmocka_unit_test(test_subset_and_missing_dir),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
