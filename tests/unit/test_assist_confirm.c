/* Unit tests of the reply rules of automated resolution (src/assist/confirm.c): replies that only
 * thank or confirm, in each language, count as confirmed; replies that say it did not work, ask
 * something, want more or defer go to a person. Project headers come before cmocka.h, which
 * defines a fail() macro. */
#include "assist/confirm.h"

#include <stddef.h>
#include <stdio.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

static void expect_all(const char *const *texts, size_t n, bool want)
{
    for (size_t i = 0; i < n; i++) {
        if (assist_reply_confirms(texts[i]) != want) {
            print_error("\"%s\" should %s\n", texts[i], want ? "confirm" : "need a person");
            fail();
        }
    }
}

static void test_thanks_confirm(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "thanks, that worked",
        "Thank you so much, it works now!",
        "Perfect, fixed. Cheers",
        "ok great thx",
        "That\xe2\x80\x99s solved it, thank you.", /* a typographic apostrophe */
        "danke, das hat geholfen",
        "Vielen Dank, funktioniert!",
        "Super, hat geklappt. Danke!",
        "merci \xc3\xa7" "a marche",
        "Merci beaucoup, c'est r\xc3\xa9solu !",
        "\xc2\xa1Muchas gracias! Ya funciona.",
        "Bedankt, het werkt!",
        "Grazie mille, risolto",
        "Obrigado, funcionou!",
        "Thanks!\n\n> This answer was sent automatically. Did it solve your problem?\n> Reply if not.",
    };
    expect_all(texts, sizeof texts / sizeof *texts, true);
}

static void test_did_not_work_needs_person(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "That did not work, the link never arrives.",
        "thanks, but it still doesn't work",
        "Thanks. It didn\xe2\x80\x99t help.",
        "Unfortunately the error is still there",
        "danke, aber es funktioniert leider nicht",
        "Das hat nicht geholfen",
        "merci mais \xc3\xa7" "a ne marche pas",
        "\xc3\xa7" "a marche pas, merci",
        "gracias, pero no funciona",
        "bedankt maar het werkt niet",
        "grazie, non funziona",
        "obrigado, mas n\xc3\xa3o funcionou",
        "Thanks, the link works but now I get a different error",
    };
    expect_all(texts, sizeof texts / sizeof *texts, false);
}

static void test_questions_and_requests_need_person(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Thanks! How do I change my email address?",
        "Thanks, that worked. Can you also close my other account",
        "Thank you. I also want a refund",
        "Thanks, I'll try it tomorrow",
        "Thanks, will check later",
        "Danke! Wie \xc3\xa4ndere ich meine Adresse",
        "Merci, pourquoi faut-il le faire",
        "\xc2\xbfGracias, y la factura?",
        "Thanks\xef\xbc\x9f", /* a full-width question mark */
    };
    expect_all(texts, sizeof texts / sizeof *texts, false);
}

static void test_unsure_needs_person(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "", "   ", "ok", "Hello", "\xf0\x9f\x91\x8d", "> quoted only: thanks, that worked",
        /* long: more than a thanks, whatever it says */
        "Thanks, that worked for the account on my laptop and on my phone and on my tablet and on the"
        " account of my colleague in the office downstairs",
        "I followed the steps", /* no thanks, no "it works": unsure */
    };
    expect_all(texts, sizeof texts / sizeof *texts, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thanks_confirm),
        cmocka_unit_test(test_did_not_work_needs_person),
        cmocka_unit_test(test_questions_and_requests_need_person),
        cmocka_unit_test(test_unsure_needs_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
