/* Unit tests of the RFC 4180 CSV reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/csv.h"

/* Reads all of s; returns the last csv_read() result and the record count. */
static int read_all(const char *s, size_t *nrec, csv_reader *r)
{
    csv_record rec;
    int rc;
    *nrec = 0;
    csv_reader_init(r, s, strlen(s));
    while ((rc = csv_read(r, &rec)) == CSV_OK)
        (*nrec)++;
    csv_reader_free(r);
    return rc;
}

static void test_simple_and_crlf(void **state)
{
    csv_reader r;
    csv_record rec;
    const char *s = "\xEF\xBB\xBFtext,label\r\nhello,greet\r\nbye,leave";
    csv_reader_init(&r, s, strlen(s));
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_int_equal(rec.n, 2);
    assert_string_equal(rec.f[0], "text"); /* the BOM is skipped */
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_string_equal(rec.f[1], "greet"); /* no CR left */
    assert_int_equal(r.rec_line, 2);
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_string_equal(rec.f[0], "bye");
    assert_string_equal(rec.f[1], "leave");
    assert_int_equal(csv_read(&r, &rec), CSV_END);
    csv_reader_free(&r);
}

static void test_quoted(void **state)
{
    csv_reader r;
    csv_record rec;
    const char *s = "a,\"x, \"\"y\"\"\nz\",\"\"\nnext,1\n";
    csv_reader_init(&r, s, strlen(s));
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_int_equal(rec.n, 3);
    assert_string_equal(rec.f[1], "x, \"y\"\nz");
    assert_int_equal(rec.len[1], 8);
    assert_string_equal(rec.f[2], "");
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_int_equal(r.rec_line, 3); /* the quoted newline counts */
    assert_string_equal(rec.f[0], "next");
    assert_int_equal(csv_read(&r, &rec), CSV_END);
    csv_reader_free(&r);
}

static void test_empty_fields(void **state)
{
    csv_reader r;
    csv_record rec;
    csv_reader_init(&r, ",,\n", 3);
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_int_equal(rec.n, 3);
    assert_int_equal(rec.len[2], 0);
    csv_reader_free(&r);
}

static void test_errors_with_lines(void **state)
{
    csv_reader r;
    size_t n;
    assert_int_equal(read_all("a,b\nc,\"open\nstill open", &n, &r), CSV_EQUOTE);
    assert_int_equal(n, 1);
    assert_int_equal(r.err_line, 2);
    assert_int_equal(read_all("a,b\n\"q\"x,b\n", &n, &r), CSV_EJUNK);
    assert_int_equal(r.err_line, 2);
    assert_int_equal(read_all("a,b\nc,d\ne\"f,g\n", &n, &r), CSV_EBAREQUOTE);
    assert_int_equal(r.err_line, 3);
    assert_int_equal(read_all("", &n, &r), CSV_END);
    assert_int_equal(n, 0);
    assert_string_equal(csv_strerror(CSV_EQUOTE), "quoted field not closed");
}

static void test_binary_bytes(void **state)
{
    const char s[] = { 'a', 0, 'b', ',', '\xff', '\n' };
    csv_reader r;
    csv_record rec;
    csv_reader_init(&r, s, sizeof s);
    assert_int_equal(csv_read(&r, &rec), CSV_OK);
    assert_int_equal(rec.n, 2);
    assert_int_equal(rec.len[0], 3); /* NUL kept, length tells */
    assert_int_equal(csv_read(&r, &rec), CSV_END);
    csv_reader_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_and_crlf),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_errors_with_lines),
        cmocka_unit_test(test_binary_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
