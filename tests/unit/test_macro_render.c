/* Unit tests of macro placeholders: checking a body and filling it in. */
#include "macros/render.h" /* before cmocka.h, whose fail() macro would rename util/error.h's fail() */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static json_t *ticket(void)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}}", "number", (json_int_t)42, "subject", "Invoice twice", "status",
                     "pending", "priority", "high", "requester", "name", "Dana Fox", "email", "dana@example.com");
}

static void check_accepts_known_placeholders_and_plain_braces(void **state)
{
    struct failure f;
    assert_int_equal(macro_body_check("Hi {{requester.first_name}}, #{{ ticket.number }} {single} }}", "body", &f), ERR_OK);
    assert_int_equal(macro_body_check("", "body", &f), ERR_OK);
}

static void check_names_the_field_of_unknown_or_unclosed(void **state)
{
    struct failure f;
    assert_int_equal(macro_body_check("Hi {{requester.shoe}}", "body", &f), ERR_VALIDATION);
    assert_string_equal(f.field, "body");
    assert_non_null(strstr(f.message, "requester.shoe"));
    assert_int_equal(macro_body_check("Hi {{agent.name", "body", &f), ERR_VALIDATION);
    assert_non_null(strstr(f.message, "end with }}"));
}

static void render_fills_every_placeholder(void **state)
{
    json_t *t = ticket();
    struct principal me = {.user_id = 3, .role = ROLE_AGENT, .name = "Ada Lovelace", .email = "ada@example.com"};
    char *out = macro_render("{{requester.first_name}}/{{requester.name}}/{{requester.email}} #{{ticket.number}} "
                             "{{ticket.subject}} {{ticket.status}} {{ticket.priority}} — {{agent.first_name}} "
                             "{{ agent.name }} <{{agent.email}}> {{nope}} {{",
                             t, &me);
    assert_string_equal(out, "Dana/Dana Fox/dana@example.com #42 Invoice twice pending high — Ada Ada Lovelace "
                             "<ada@example.com> {{nope}} {{");
    free(out);
    json_decref(t);
}

static void render_leaves_missing_values_empty(void **state)
{
    json_t *t = json_object();
    struct principal me = {.user_id = 3, .role = ROLE_AGENT, .name = NULL, .email = NULL};
    char *out = macro_render("[{{requester.name}}][{{agent.first_name}}][{{ticket.number}}]", t, &me);
    assert_string_equal(out, "[][][]");
    free(out);
    json_decref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_accepts_known_placeholders_and_plain_braces),
        cmocka_unit_test(check_names_the_field_of_unknown_or_unclosed),
        cmocka_unit_test(render_fills_every_placeholder),
        cmocka_unit_test(render_leaves_missing_values_empty),
    };
    return cmocka_run_group_tests_name("macro placeholders", tests, NULL, NULL);
}
