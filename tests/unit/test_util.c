/* Unit tests of src/util: arena, string builder, time, config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/config.h"
#include "util/markdown.h"
#include "util/json_write.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void arena_allocates_aligned_and_frees(void **state)
{
    struct arena a;
    arena_init(&a, 64);
    char *small = arena_alloc(&a, 3);
    double *d = arena_alloc(&a, sizeof *d);
    assert_int_equal((uintptr_t)d % sizeof(max_align_t), 0);
    char *big = arena_alloc(&a, 10000); /* larger than a block */
    memset(big, 'x', 10000);
    memcpy(small, "ab", 3);
    assert_string_equal(small, "ab");
    assert_string_equal(arena_printf(&a, "%d-%s", 42, "z"), "42-z");
    assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
    assert_null(arena_strdup(&a, NULL));
    arena_reset(&a);
    assert_null(a.head);
}

static void strbuf_respects_cap_and_takes(void **state)
{
    struct strbuf sb;
    strbuf_init(&sb, 8);
    assert_true(strbuf_adds(&sb, "12345"));
    assert_false(strbuf_adds(&sb, "6789")); /* would pass the cap */
    assert_string_equal(sb.data, "12345");
    assert_true(strbuf_addf(&sb, "%d", 678));
    size_t len;
    char *s = strbuf_take(&sb, &len);
    assert_int_equal(len, 8);
    assert_string_equal(s, "12345678");
    assert_null(sb.data);
    free(s);
    strbuf_init(&sb, 0);
    strbuf_add_json_string(&sb, "a\"b\\c\n<\x01");
    assert_string_equal(sb.data, "\"a\\\"b\\\\c\\n\\u003c\\u0001\"");
    strbuf_free(&sb);
}

static void time_formats_and_parses_rfc3339(void **state)
{
    char buf[21];
    assert_string_equal(time_format(0, buf), "1970-01-01T00:00:00Z");
    int64_t t;
    assert_true(time_parse("2026-11-25T01:43:02Z", &t));
    assert_string_equal(time_format(t, buf), "2026-11-25T01:43:02Z");
    assert_true(time_parse("2026-11-25T03:43:02+02:00", &t));
    assert_string_equal(time_format(t, buf), "2026-11-25T01:43:02Z");
    assert_true(time_parse("2024-02-29T00:00:00.123Z", &t));
    assert_false(time_parse("2023-02-29T00:00:00Z", &t));
    assert_false(time_parse("2026-13-01T00:00:00Z", &t));
    assert_false(time_parse("2026-11-25 01:43:02", &t));
    assert_false(time_parse("2026-11-25T01:43:02", &t));
    assert_false(time_parse("", &t));
}

static void config_takes_flags_over_env_over_file(void **state)
{
    char path[] = "/tmp/parley-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    dprintf(fd, "# comment\nport = 7000\ndata = /from/file\n");
    close(fd);
    setenv("PARLEY_DATA", "/from/env", 1);
    struct config c;
    const char *pos[2], *email = NULL;
    int npos;
    char err[256];
    struct config_opt opts[] = {{"email", &email}, {NULL, NULL}};
    char *argv[] = {"--config", path, "--port=7001", "--email", "a@b.c", "add"};
    assert_true(config_load(&c, 6, argv, opts, pos, 2, &npos, err, sizeof err));
    assert_int_equal(c.port, 7001);
    assert_string_equal(c.data_dir, "/from/env");
    assert_string_equal(email, "a@b.c");
    assert_int_equal(npos, 1);
    assert_string_equal(pos[0], "add");
    char *bad[] = {"--nope", "1"};
    assert_false(config_load(&c, 2, bad, NULL, pos, 0, &npos, err, sizeof err));
    assert_non_null(strstr(err, "unknown option --nope"));
    char *badport[] = {"--port", "70000"};
    assert_false(config_load(&c, 2, badport, NULL, pos, 0, &npos, err, sizeof err));
    char *missing[] = {"--port"};
    assert_false(config_load(&c, 1, missing, NULL, pos, 0, &npos, err, sizeof err));
    unsetenv("PARLEY_DATA");
    unlink(path);
}

static void markdown_drops_raw_html_and_bad_links(void **state)
{
    char *html = markdown_to_html("**hi** <script>alert(1)</script> [x](javascript:alert(1))");
    assert_non_null(strstr(html, "<strong>hi</strong>"));
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "javascript:"));
    free(html);
}

/* json_write gives the compact text json_dumps would (UTF-8 kept), escapes what HTML needs,
 * and writes reals so they read back the same. */
static void json_write_matches_jansson(void **state)
{
    json_t *v = json_pack("{s:s, s:I, s:I, s:f, s:f, s:[b, b, n], s:{}, s:[], s:s#}", "text",
                          "a \"q\" \\ <b>&\n\t\x01 \xc3\xa9", "big", (json_int_t)INT64_MIN, "small",
                          (json_int_t)-42, "whole", 3.0, "tiny", 0.1, "flags", 1, 0, "empty", "none", "nul",
                          "x\0y", (size_t)3);
    struct strbuf sb;
    strbuf_init(&sb, 0);
    assert_true(json_write(&sb, v));
    assert_string_equal(sb.data, "{\"text\":\"a \\\"q\\\" \\\\ \\u003cb\\u003e\\u0026\\n\\t\\u0001 \xc3\xa9\","
                                 "\"big\":-9223372036854775808,\"small\":-42,\"whole\":3.0,"
                                 "\"tiny\":0.10000000000000001,\"flags\":[true,false,null],\"empty\":{},"
                                 "\"none\":[],\"nul\":\"x\\u0000y\"}");
    json_t *back = json_loadb(sb.data, sb.len, JSON_ALLOW_NUL, NULL);
    assert_non_null(back);
    assert_true(json_equal(v, back));
    json_decref(back);
    strbuf_free(&sb);
    /* a cap stops it */
    strbuf_init(&sb, 10);
    assert_false(json_write(&sb, v));
    strbuf_free(&sb);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_allocates_aligned_and_frees),
        cmocka_unit_test(strbuf_respects_cap_and_takes),
        cmocka_unit_test(json_write_matches_jansson),
        cmocka_unit_test(time_formats_and_parses_rfc3339),
        cmocka_unit_test(config_takes_flags_over_env_over_file),
        cmocka_unit_test(markdown_drops_raw_html_and_bad_links),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
