/* Unit tests of the knowledge base's search index (kb/index.c): filters, paging, versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/index.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void put(struct kb_index *ix, int64_t id, int64_t version, const char *title, const char *text,
                const char *lang, int64_t category, bool internal)
{
    struct kb_doc d = {.id = id, .version = version, .title = title, .text = text, .tags = "", .language = lang,
                       .category_id = category, .internal = internal};
    assert_int_equal(kb_index_put(ix, &d), ERR_OK);
}

static int cmp_hit_id(const void *a, const void *b)
{
    int64_t x = ((const struct kb_hit *)a)->id, y = ((const struct kb_hit *)b)->id;
    return (x > y) - (x < y);
}

/* The ids found for q with filter flt (at most 16), in id order (not rank), as "1,2,3". */
static const char *found(struct kb_index *ix, const char *q, const struct kb_filter *flt)
{
    static char out[256];
    struct kb_hit hits[16];
    size_t n;
    bool more;
    assert_int_equal(kb_index_search(ix, q, flt, 0, 16, hits, &n, &more), ERR_OK);
    qsort(hits, n, sizeof *hits, cmp_hit_id);
    out[0] = 0;
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", i ? "," : "", (long long)hits[i].id);
    return out;
}

static void filters_language_category_internal(void **state)
{
    struct kb_index *ix = kb_index_new();
    put(ix, 1, 1, "Printer setup", "Install the printer driver", "en", 10, false);
    put(ix, 2, 1, "Printer runbook", "Restart the printer spooler", "en", 20, true);
    put(ix, 3, 1, "Drucker einrichten", "Installieren Sie den Drucker printer", "de", 10, false);
    put(ix, 4, 1, "プリンター printer", "printer", "ja", 0, false); /* no stemmer: still searchable */
    struct kb_filter any = {0};
    /* without a language the query is stemmed as English: the German article's words are not */
    assert_string_equal(found(ix, "printer", &any), "1,4");
    struct kb_filter staff = {.internal = true};
    assert_non_null(strstr(found(ix, "printer", &staff), "2"));
    struct kb_filter de = {.language = "de"};
    assert_string_equal(found(ix, "drucker", &de), "3");
    struct kb_filter ja = {.language = "ja"};
    assert_string_equal(found(ix, "printer", &ja), "4");
    int64_t cats[] = {10};
    struct kb_filter cat = {.categories = cats, .ncategories = 1, .internal = true};
    assert_string_equal(found(ix, "install", &cat), "1");
    struct kb_filter cat_de = {.categories = cats, .ncategories = 1, .language = "de"};
    assert_string_equal(found(ix, "installieren", &cat_de), "3");
    assert_string_equal(found(ix, "", &any), "");
    assert_string_equal(found(ix, "\"* NEAR -", &any), "");
    assert_int_equal(kb_index_count(ix), 4);
    kb_index_free(ix);
}

static void versions_decide_between_put_and_drop(void **state)
{
    struct kb_index *ix = kb_index_new();
    struct kb_filter any = {0};
    put(ix, 7, 3, "Quokka", "text", "en", 0, false);
    put(ix, 7, 2, "Wombat", "text", "en", 0, false); /* older: ignored */
    assert_string_equal(found(ix, "quokka", &any), "7");
    assert_string_equal(found(ix, "wombat", &any), "");
    kb_index_drop(ix, 7, 2); /* older drop: ignored */
    assert_string_equal(found(ix, "quokka", &any), "7");
    kb_index_drop(ix, 7, 4);
    assert_string_equal(found(ix, "quokka", &any), "");
    assert_int_equal(kb_index_version(ix, 7), 4);
    assert_int_equal(kb_index_version(ix, 8), 0);
    assert_int_equal(kb_index_count(ix), 0);
    put(ix, 7, 5, "Quokka again", "text", "en", 0, false);
    assert_string_equal(found(ix, "quokka", &any), "7");
    char *s = kb_index_snippet(ix, 7, "text");
    assert_non_null(strstr(s, "<mark>text</mark>"));
    free(s);
    assert_null(kb_index_snippet(ix, 99, "text"));
    kb_index_free(ix);
}

static void pages_through_filtered_results(void **state)
{
    struct kb_index *ix = kb_index_new();
    char title[64];
    /* many internal articles rank first; the public ones must still be found past them */
    for (int i = 1; i <= 300; i++) {
        snprintf(title, sizeof title, "zebra %s %d", i <= 290 ? "zebra zebra" : "", i);
        put(ix, i, 1, title, "zebra", "en", 0, i <= 290);
    }
    struct kb_filter pub = {0};
    struct kb_hit hits[4];
    size_t n, total = 0;
    bool more = true;
    int64_t seen[16];
    for (size_t off = 0; more; off += 4) {
        assert_int_equal(kb_index_search(ix, "zebra", &pub, off, 4, hits, &n, &more), ERR_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(hits[i].id > 290);
            seen[total++] = hits[i].id;
        }
        assert_true(total <= 10);
    }
    assert_int_equal(total, 10);
    for (size_t i = 0; i < total; i++)
        for (size_t j = i + 1; j < total; j++)
            assert_true(seen[i] != seen[j]);
    kb_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filters_language_category_internal),
        cmocka_unit_test(versions_decide_between_put_and_drop),
        cmocka_unit_test(pages_through_filtered_results),
    };
    return cmocka_run_group_tests_name("kb_index", tests, NULL, NULL);
}
