/* Unit tests of the response templates' placeholders (src/assist/templates.c) and of the offline
 * composer's frame around them (src/assist/reply.c). Project headers come before cmocka.h, which
 * defines a fail() macro. */
#include "assist/reply.h"
#include "assist/templates.h"

#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static const struct assist_template_vars VARS = {.requester_name = "Dana Fox", .agent_name = "Sam",
                                                 .ticket_subject = "Login", .ticket_id = 42};

static void expect(const char *tpl, const struct assist_template_vars *vars, const char *want)
{
    char *got = assist_template_expand(tpl, vars);
    assert_string_equal(got, want);
    free(got);
}

static void test_placeholders(void **state)
{
    (void)state;
    expect("Hi {{requester.name}},", &VARS, "Hi Dana Fox,");
    expect("#{{ticket.id}} {{ticket.subject}} by {{agent.name}}", &VARS, "#42 Login by Sam");
    expect("no placeholder", &VARS, "no placeholder");
    expect("{{requester.name}}{{requester.name}}", &VARS, "Dana FoxDana Fox");
    expect("a {{ unclosed", &VARS, "a {{ unclosed");
    assert_null(assist_template_expand(NULL, &VARS));
}

static void test_empty_values_drop_their_line(void **state)
{
    (void)state;
    struct assist_template_vars ai = VARS;
    ai.agent_name = NULL;
    expect("Kind regards,\n{{agent.name}}\nACME", &ai, "Kind regards,\nACME");
    expect("Kind regards,\n  {{agent.name}} \nACME", &ai, "Kind regards,\nACME");
    expect("Kind regards,\n\nACME", &ai, "Kind regards,\n\nACME"); /* a blank line of the admin's stays */
    expect("Thanks {{agent.name}}!", &ai, "Thanks !");
    expect("{{agent.name}}", &ai, "");
}

static void test_wrap_frame(void **state)
{
    (void)state;
    char *built_in = assist_reply_wrap("de", "Dana", "Text.", NULL, NULL, NULL);
    assert_string_equal(built_in, "Hallo Dana,\n\nText.\n\nViele Gr\xc3\xbc\xc3\x9f" "e");
    char *custom = assist_reply_wrap("en", "Dana", "Text.", "Title", "Hi Dana!", "Cheers");
    assert_string_equal(custom, "Hi Dana!\n\nText.\n\nYou can find more in our article \xe2\x80\x9cTitle\xe2\x80\x9d.\n\nCheers");
    free(built_in);
    free(custom);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_empty_values_drop_their_line),
        cmocka_unit_test(test_wrap_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
