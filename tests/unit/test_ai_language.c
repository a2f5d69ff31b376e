/* Unit tests of language identification (src/ai/language.c, src/ai/lang_fingerprint.c). Project
 * headers come before cmocka.h, which defines a fail() macro. */
#include "ai/lang_fingerprint.h"
#include "ai/language.h"

#include <fingerprint.h>
#include <pthread.h>
#include <stdio.h>
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

/* libexttextcat's own fingerprint of text[0..sample) (read up to its NUL), as fp_Print lists it:
 * what lang_fp_build must reproduce byte for byte. */
static char *libexttextcat_fingerprint(const char *text, size_t sample)
{
    void *fp = fp_Init(NULL);
    char *buf = NULL;
    size_t size = 0;
    assert_non_null(fp);
    fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
    if (fp_Create(fp, text, (uint4)sample, LANG_FP_GRAMS)) {
        FILE *f = open_memstream(&buf, &size);
        assert_non_null(f);
        fp_Print(fp, f);
        fclose(f);
    }
    fp_Done(fp);
    return buf;
}

/* Checks that lang_fp_build lists the same n-grams in the same order as libexttextcat. */
static void assert_same_fingerprint(const char *text, size_t sample)
{
    static struct lang_fp fp;
    char *want = libexttextcat_fingerprint(text, sample);
    size_t n = lang_fp_build(&fp, text, strlen(text), sample);
    const char *line = want ? want : "";
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(fp.gram[i]);
        if (strncmp(line, fp.gram[i], l) != 0 || line[l] != '\n')
            fail_msg("n-gram %zu of \"%.60s\" (sample %zu): \"%s\", libexttextcat has \"%.20s\"", i, text, sample,
                     fp.gram[i], line);
        line += l + 1;
    }
    assert_string_equal(line, "");
    free(want);
}

static void test_fingerprint_known(void **state)
{
    /* "_abc_abd" (no '_' after the last word); counting stops at the first n-gram reaching the end,
     * so b, bd, d of "abd" are never counted; equal counts come in libexttextcat's heap order */
    static const char *const abc[] = {"_", "_a", "_ab", "b", "_abc_", "bc_", "_abd", "_abc",
                                      "ab", "bc", "c_", "abc", "c", "abc_", "a"};
    static const char *const cut[] = {"_", "b", "b_", "_a", "ab", "_ab_", "_ab", "ab_", "a"};
    static struct lang_fp fp;
    assert_int_equal(lang_fp_build(&fp, "abc abd", 7, 100), 15);
    for (size_t i = 0; i < 15; i++)
        assert_string_equal(fp.gram[i], abc[i]);
    /* writing stops after sample + 1 bytes ("_ab"), then a '_' is added: "ab cd" and "ab 12 cd"
     * with sample 2 and 3 are both "_ab_" */
    assert_int_equal(lang_fp_build(&fp, "ab cd", 5, 2), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(fp.gram[i], cut[i]);
    assert_int_equal(lang_fp_build(&fp, "ab 12 cd", 8, 3), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(fp.gram[i], cut[i]);
    /* nothing past len is read, nor past a NUL */
    assert_int_equal(lang_fp_build(&fp, "ab cd", 2, 100), 3);
    assert_string_equal(fp.gram[0], "_ab");
    assert_int_equal(lang_fp_build(&fp, "ab\0cd", 5, 100), 3);
    assert_int_equal(lang_fp_build(&fp, "", 0, 100), 1);
    assert_string_equal(fp.gram[0], "_");
    assert_int_equal(lang_fp_build(&fp, "abc", 3, 0), 0);
}

static void test_fingerprint_like_libexttextcat(void **state)
{
    static const char *const texts[] = {
        "", " ", "a", "_", "__", "ok", "Hello, I cannot log in to my account since yesterday, please help me.",
        "Здравствуйте, я не могу войти в свою учётную запись со вчерашнего дня.",
        "Καλημέρα, δεν μπορώ να συνδεθώ.", "我从昨天开始无法登录我的帐户，请帮助我解决这个问题。",
        "مرحبا، لا أستطيع تسجيل الدخول إلى حسابي منذ الأمس.", "I cannot log in. Ich kann nicht. Je ne peux pas.",
        "caf\xe9 na\xefve r\xe9sum\xe9", "\xc3", "ab\xe4\xb8", "\xe4_x", "\xff\xfe\xfd\x80\xbf", "\x80\x80 \xf8\x88 x",
        "\xf0\x9f\x98\x80 emoji \xf0\x9f\x98", "snake_case_words and __dunder__", "1234 5678", "  \t\n\r\v\f  x  ",
        "e e e e e e e e e e e e e e e e e e e e e e e", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        for (size_t sample = 1; sample <= 1024; sample = sample < 6 ? sample + 1 : sample * 4)
            assert_same_fingerprint(texts[i], sample);
    /* random texts from odd pieces: ties, '_' inside words, broken UTF-8, cuts, long texts */
    static const char *const pieces[] = {"a", "b", "e", " ", "  ", "\t", "1", "_", "\xc3\xa9", "\xc3", "\xe4\xb8\xad",
                                         "\xe4\xb8", "\xf0\x9f\x98\x80", "\xf8", "\x80", "\xd0\xb0", ".", "\x01", "th"};
    static char buf[4096];
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t want = (seed >> 8) % (round % 10 ? 100 : 3000), k = 0, alphabet = 2 + (seed >> 20) % 17;
        while (k < want) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % alphabet];
            memcpy(buf + k, p, strlen(p));
            k += strlen(p);
        }
        buf[k] = 0;
        assert_same_fingerprint(buf, round % 3 ? LANG_SAMPLE_BYTES : 1 + (seed >> 4) % 200);
    }
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
        cmocka_unit_test(test_fingerprint_known),
        cmocka_unit_test(test_fingerprint_like_libexttextcat),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
