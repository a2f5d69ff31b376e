/* Unit tests of the HTTP parsers: query strings, JSON bodies, multipart, the router. */
#include <string.h>

#include "http/body.h"
#include "http/multipart.h"
#include "http/proxy.h"
#include "http/query.h"
#include "http/router.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void query_decodes_pairs(void **state)
{
    struct arena a;
    arena_init(&a, 1024);
    struct query_param *p;
    int n;
    const char *qs = "a=1&b=x%20y+z&flag&&c=%E2%82%AC";
    assert_true(query_parse(qs, strlen(qs), &a, &p, &n));
    assert_int_equal(n, 4);
    assert_string_equal(p[1].key, "b");
    assert_string_equal(p[1].value, "x y z");
    assert_string_equal(p[2].key, "flag");
    assert_string_equal(p[2].value, "");
    assert_string_equal(p[3].value, "\xE2\x82\xAC");
    assert_false(query_parse("a=%zz", 5, &a, &p, &n));
    assert_false(query_parse("a=%2", 4, &a, &p, &n));
    assert_false(query_parse("a=%00", 5, &a, &p, &n));
    arena_reset(&a);
}

static void body_wants_one_json_object(void **state)
{
    char err[256];
    json_t *v = body_parse_json("{\"a\":1}", 7, err, sizeof err);
    assert_non_null(v);
    json_decref(v);
    assert_null(body_parse_json("[1]", 3, err, sizeof err));
    assert_null(body_parse_json("{\"a\":1,\"a\":2}", 13, err, sizeof err));
    assert_null(body_parse_json("{bad", 4, err, sizeof err));
    assert_non_null(strstr(err, "malformed JSON"));
}

struct collected {
    char names[4][32], files[4][32], data[4][64];
    int parts;
};

static int begin(void *ctx, const char *name, const char *filename, const char *type)
{
    struct collected *c = ctx;
    strcpy(c->names[c->parts], name);
    strcpy(c->files[c->parts], filename ? filename : "-");
    return 0;
}

static int data(void *ctx, const char *d, size_t len)
{
    struct collected *c = ctx;
    strncat(c->data[c->parts], d, len);
    return 0;
}

static int end(void *ctx)
{
    ((struct collected *)ctx)->parts++;
    return 0;
}

static void multipart_parses_in_any_chunking(void **state)
{
    static const struct multipart_callbacks cb = {begin, data, end};
    const char *body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"internal\"\r\n\r\ntrue\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                       "Content-Type: text/plain\r\n\r\nline1\r\n--Xy not yet\r\n--XyZ--\r\nepilogue";
    char boundary[80];
    assert_true(multipart_boundary("multipart/form-data; boundary=\"XyZ\"", boundary));
    assert_string_equal(boundary, "XyZ");
    assert_false(multipart_boundary("application/json", boundary));
    for (size_t step = 1; step <= strlen(body); step++) {
        struct collected c;
        memset(&c, 0, sizeof c);
        struct multipart m;
        multipart_init(&m, boundary, &cb, &c);
        for (size_t i = 0; i < strlen(body); i += step) {
            size_t n = strlen(body) - i < step ? strlen(body) - i : step;
            assert_int_equal(multipart_feed(&m, body + i, n), 0);
        }
        assert_int_equal(multipart_finish(&m), 0);
        assert_int_equal(c.parts, 2);
        assert_string_equal(c.names[0], "internal");
        assert_string_equal(c.data[0], "true");
        assert_string_equal(c.files[1], "a.txt");
        assert_string_equal(c.data[1], "line1\r\n--Xy not yet");
        multipart_free(&m);
    }
}

static void multipart_refuses_truncated_bodies(void **state)
{
    static const struct multipart_callbacks cb = {begin, data, end};
    struct collected c;
    memset(&c, 0, sizeof c);
    struct multipart m;
    multipart_init(&m, "B", &cb, &c);
    const char *body = "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc";
    assert_int_equal(multipart_feed(&m, body, strlen(body)), 0);
    assert_int_equal(multipart_finish(&m), -1);
    multipart_free(&m);
    multipart_init(&m, "B", &cb, &c);
    assert_int_equal(multipart_feed(&m, "--B\r\nX-Nothing: 1\r\n\r\n", 21), -1);
    multipart_free(&m);
}

static enum err nothing(struct request *r)
{
    return ERR_OK;
}

static void router_matches_patterns(void **state)
{
    static const struct route table[] = {
        {"GET", "/api/v1/tickets/{id}", nothing, PERM_SIGNED_IN, 0, RATE_NONE, 0, NULL},
        {"POST", "/api/v1/teams/{id}/members/{user_id}", nothing, PERM_SIGNED_IN, 0, RATE_NONE, 0, NULL},
    };
    struct arena a;
    arena_init(&a, 256);
    const char *params[REQ_MAX_PARAMS];
    bool known;
    assert_ptr_equal(router_match(table, 2, "GET", "/api/v1/tickets/42", &a, params, &known), &table[0]);
    assert_string_equal(params[0], "42");
    assert_ptr_equal(router_match(table, 2, "HEAD", "/api/v1/tickets/42", &a, params, &known), &table[0]);
    assert_null(router_match(table, 2, "DELETE", "/api/v1/tickets/42", &a, params, &known));
    assert_true(known);
    assert_null(router_match(table, 2, "GET", "/api/v1/tickets/", &a, params, &known));
    assert_false(known);
    assert_null(router_match(table, 2, "GET", "/api/v1/tickets/4/x", &a, params, &known));
    assert_non_null(router_match(table, 2, "POST", "/api/v1/teams/1/members/9", &a, params, &known));
    assert_string_equal(params[1], "9");
    assert_int_equal(route_max_body(&table[0]), ROUTE_DEFAULT_MAX_BODY);
    arena_reset(&a);
}

/* Trusted proxies: lists parse or name the bad entry; X-Forwarded-For counts only from them. */
static void proxy_finds_the_client(void **state)
{
    struct proxy_list l;
    char err[128], ip[64];
    assert_true(proxy_parse("", &l, err, sizeof err));
    assert_int_equal(l.n, 0);
    proxy_client_address(&l, "10.0.0.1", "203.0.113.7", ip, sizeof ip);
    assert_string_equal(ip, "10.0.0.1"); /* no proxies: the header means nothing */
    assert_false(proxy_parse("10.0.0.0/8, bogus", &l, err, sizeof err));
    assert_non_null(strstr(err, "'bogus'"));
    assert_false(proxy_parse("10.0.0.0/33", &l, err, sizeof err));
    assert_false(proxy_parse("10.0.0.1,,10.0.0.2", &l, err, sizeof err));
    assert_false(proxy_parse("::1/129", &l, err, sizeof err));
    assert_true(proxy_parse(" 10.0.0.0/8 , 192.168.1.1, fd00::/8 ", &l, err, sizeof err));
    assert_int_equal(l.n, 3);
    assert_true(proxy_trusted(&l, "10.200.3.4"));
    assert_false(proxy_trusted(&l, "11.0.0.1"));
    assert_true(proxy_trusted(&l, "192.168.1.1"));
    assert_false(proxy_trusted(&l, "192.168.1.2"));
    assert_true(proxy_trusted(&l, "fd12::1"));
    assert_false(proxy_trusted(&l, "fe80::1"));
    assert_false(proxy_trusted(&l, "not an address"));
    /* from the right, past trusted hops, to the first untrusted one */
    proxy_client_address(&l, "10.0.0.1", "198.51.100.1, 203.0.113.7, 192.168.1.1", ip, sizeof ip);
    assert_string_equal(ip, "203.0.113.7");
    proxy_client_address(&l, "10.0.0.1", "2001:db8::5", ip, sizeof ip);
    assert_string_equal(ip, "2001:db8::5");
    /* an untrusted peer's header is ignored */
    proxy_client_address(&l, "203.0.113.9", "198.51.100.1", ip, sizeof ip);
    assert_string_equal(ip, "203.0.113.9");
    /* garbage stops the walk at the last good address */
    proxy_client_address(&l, "10.0.0.1", "evil, 203.0.113.7", ip, sizeof ip);
    assert_string_equal(ip, "203.0.113.7");
    proxy_client_address(&l, "10.0.0.1", "203.0.113.7, <script>", ip, sizeof ip);
    assert_string_equal(ip, "10.0.0.1");
    proxy_client_address(&l, "10.0.0.1", ",,,", ip, sizeof ip);
    assert_string_equal(ip, "10.0.0.1");
    /* every hop trusted: the left-most one */
    proxy_client_address(&l, "10.0.0.1", "10.9.9.9, 192.168.1.1", ip, sizeof ip);
    assert_string_equal(ip, "10.9.9.9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_decodes_pairs),
        cmocka_unit_test(body_wants_one_json_object),
        cmocka_unit_test(multipart_parses_in_any_chunking),
        cmocka_unit_test(multipart_refuses_truncated_bodies),
        cmocka_unit_test(router_matches_patterns),
        cmocka_unit_test(proxy_finds_the_client),
    };
    return cmocka_run_group_tests_name("http parsers", tests, NULL, NULL);
}
