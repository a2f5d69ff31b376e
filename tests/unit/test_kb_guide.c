/* Unit tests of the knowledge base's pure parts: guide checking and walking, the query
 * normalisation of the search log, tags, Markdown to plain text. */
#include <stdlib.h>
#include <string.h>

#include "kb/guide.h"
#include "kb/index.h"
#include "kb/stats.h"
#include "util/markdown.h"
#include "util/tags.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    return v;
}

/* Checks text as a guide: the normalised guide, or NULL with the failing field in field. */
static json_t *check(const char *text, char *field)
{
    json_t *in = parse(text), *out = NULL;
    struct failure f = {0};
    enum err e = kb_guide_check(in, &out, &f);
    json_decref(in);
    strcpy(field, f.field);
    assert_true((e == ERR_OK) == (out != NULL));
    return out;
}

static const char *const good =
    "{\"steps\": [{\"id\": \"start\", \"title\": \"Power?\", \"body_markdown\": \"Is the **light** on?\", \"extra\": 1,"
    " \"answers\": [{\"label\": \"Yes\", \"next\": \"cable\"}, {\"label\": \"No\", \"outcome\": \"solved\"}]},"
    " {\"id\": \"cable\", \"body_markdown\": \"Check the cable.\","
    " \"answers\": [{\"label\": \"Fixed\", \"outcome\": \"solved\"}, {\"label\": \"Not fixed\", \"outcome\": \"ticket\"}]}]}";

static void guide_check_normalises(void **state)
{
    char field[96];
    json_t *g = check(good, field);
    assert_non_null(g);
    json_t *s0 = json_array_get(json_object_get(g, "steps"), 0);
    assert_null(json_object_get(s0, "extra"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(g, "steps"), 1), "title")), "");
    char *text = kb_guide_text(g);
    assert_non_null(strstr(text, "light"));
    assert_non_null(strstr(text, "Not fixed"));
    assert_null(strstr(text, "**"));
    free(text);
    json_decref(g);
}

static void guide_check_refuses_bad_trees(void **state)
{
    static const struct {
        const char *guide, *field;
    } bad[] = {
        {"[]", "guide.steps"},
        {"{\"steps\": []}", "guide.steps"},
        {"{\"steps\": [1]}", "guide.steps[0]"},
        {"{\"steps\": [{\"id\": \"\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]}]}",
         "guide.steps[0].id"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]},"
         " {\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]}]}",
         "guide.steps[1].id"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": 5, \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]}]}",
         "guide.steps[0].body_markdown"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"next\": \"a\"}]}]}",
         "guide.steps"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"next\": 3}]}]}",
         "guide.steps[0].answers[0]"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"next\": \"zz\"}]}]}",
         "guide.steps[0].answers[0].next"},
        {"{\"steps\": [{\"id\": \"a\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]},"
         " {\"id\": \"b\", \"body_markdown\": \"x\", \"answers\": [{\"label\": \"a\", \"outcome\": \"solved\"}]}]}",
         "guide.steps[1]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char field[96];
        assert_null(check(bad[i].guide, field));
        assert_string_equal(field, bad[i].field);
    }
}

static void guide_walk_follows_answers(void **state)
{
    char field[96];
    json_t *g = check(good, field), *w = NULL;
    struct failure f = {0};
    assert_int_equal(kb_guide_walk(g, NULL, &w, &f), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(w, "step"), "id")), "start");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(w, "step"), "body_html")), "<strong>light"));
    assert_true(json_is_null(json_object_get(w, "outcome")));
    json_decref(w);
    assert_int_equal(kb_guide_walk(g, "0,1", &w, &f), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(w, "outcome")), "ticket");
    assert_true(json_is_null(json_object_get(w, "step")));
    json_t *path = json_object_get(w, "path");
    assert_int_equal(json_array_size(path), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(path, 1), "answer")), "Not fixed");
    json_decref(w);
    static const char *const bad[] = {"2", "0,1,0", "1,0", "-1", "a", "0,", ",0", "0;1", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        w = NULL;
        assert_int_equal(kb_guide_walk(g, bad[i], &w, &f), ERR_VALIDATION);
        assert_null(w);
        assert_string_equal(f.field, "path");
    }
    json_decref(g);
}

static void query_norm_groups_queries(void **state)
{
    char *n = kb_query_norm("  Reset   PASSWORD\t\nÉté  ", 100);
    assert_string_equal(n, "reset password été");
    free(n);
    n = kb_query_norm("bad \xff\xfe bytes\x01", 100);
    assert_string_equal(n, "bad bytes");
    free(n);
    n = kb_query_norm("ééééé", 5); /* never cut inside a character */
    assert_string_equal(n, "éé");
    free(n);
    char *c = kb_query_clean("Keep Case \xc3", 100);
    assert_string_equal(c, "Keep Case  ");
    free(c);
    assert_int_equal(kb_utf8_prefix("abc", 10), 3);
    assert_int_equal(kb_utf8_prefix("aé", 2), 1);
    assert_int_equal(kb_utf8_prefix("aé", 3), 3);
}

static void tags_are_normalised(void **state)
{
    json_t *in = parse("[\" Billing \", \"BILLING\", \"vip\"]"), *out;
    struct failure f;
    assert_int_equal(tags_normalize(in, 5, 10, "tags", &out, &f), ERR_OK);
    char *s = json_dumps(out, JSON_COMPACT);
    assert_string_equal(s, "[\"billing\",\"vip\"]");
    free(s);
    json_decref(out);
    json_decref(in);
    static const char *const bad[] = {"[\"a,b\"]", "[\"\"]", "[1]", "[\"abcdefghijk\"]", "{}", "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in = parse(bad[i]);
        assert_int_equal(tags_normalize(in, 5, 10, "tags", &out, &f), ERR_VALIDATION);
        assert_string_equal(f.field, "tags");
        assert_null(out);
        json_decref(in);
    }
}

static void markdown_to_text_keeps_words_only(void **state)
{
    char *t = markdown_to_text("# Title\n\nSome **bold** [link](http://x.example) <b>raw</b> `code`\n\n"
                               "<div>block html</div>\n\n![alt words](a.png)\n\n```\nfenced\n```\n");
    assert_non_null(strstr(t, "Title\n"));
    assert_non_null(strstr(t, "Some bold link raw code"));
    assert_non_null(strstr(t, "alt words"));
    assert_non_null(strstr(t, "fenced"));
    assert_null(strstr(t, "<"));
    assert_null(strstr(t, "http"));
    assert_null(strstr(t, "block html"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guide_check_normalises),
        cmocka_unit_test(guide_check_refuses_bad_trees),
        cmocka_unit_test(guide_walk_follows_answers),
        cmocka_unit_test(query_norm_groups_queries),
        cmocka_unit_test(tags_are_normalised),
        cmocka_unit_test(markdown_to_text_keeps_words_only),
    };
    return cmocka_run_group_tests_name("kb_guide", tests, NULL, NULL);
}
