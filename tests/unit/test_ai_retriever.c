/* Unit tests of the retriever on a toy knowledge base. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/retriever.h"

static const retr_doc docs[] = {
    { 1, "Reset your password", "Open the login page, choose Forgot password and follow the link we email you.", "account,login", NULL },
    { 2, "Track a parcel", "Use the tracking number from your shipping email to see where the parcel is.", "shipping", NULL },
    { 3, "Refunds", "Refunds reach your card within five days after we receive the returned item.", "billing", NULL },
    { 4, "Delete your account", "Account deletion removes your data. Contact support to delete the account.", "account", NULL },
    { 5, "Passwort zurücksetzen", "Öffnen Sie die Anmeldeseite und wählen Sie Passwort vergessen.", NULL, "de" },
};

static int setup(void **state)
{
    retr_index *ix = retr_new("en", NULL);
    if (!ix)
        return -1;
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        if (retr_add(ix, &docs[i]) != RETR_OK)
            return -1;
    *state = ix;
    return 0;
}

static int teardown(void **state)
{
    retr_free(*state);
    return 0;
}

static int64_t top(retr_index *ix, const char *q, const char *lang)
{
    retr_hit h[5];
    size_t n;
    assert_int_equal(retr_search(ix, q, lang, 5, h, &n), RETR_OK);
    return n ? h[0].id : -1;
}

static void test_ranking(void **state)
{
    retr_index *ix = *state;
    retr_hit h[5];
    size_t n;
    assert_int_equal(top(ix, "I forgot my password", NULL), 1);
    assert_int_equal(top(ix, "where is my parcel?", NULL), 2);
    assert_int_equal(top(ix, "refund to my card", NULL), 3);
    /* title beats body: "account" is in the titles of 4 only */
    assert_int_equal(retr_search(ix, "delete account", NULL, 5, h, &n), RETR_OK);
    assert_true(n >= 2);
    assert_int_equal(h[0].id, 4);
    assert_true(h[0].score > h[1].score);
    /* typo tolerance on a short query */
    assert_int_equal(top(ix, "pasword", NULL), 1);
    /* language filter, with the query stemmed in that language */
    assert_int_equal(top(ix, "Passwort vergessen", "de"), 5);
    assert_int_equal(retr_search(ix, "password", "de", 5, h, &n), RETR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(top(ix, "xylophone", NULL), -1);
    assert_int_equal(top(ix, "", NULL), -1);
    assert_int_equal(retr_search(ix, "x", "klingon", 5, h, &n), RETR_ELANG);
    assert_int_equal(retr_count(ix), 5);
}

static void test_remove_and_replace(void **state)
{
    retr_index *ix = retr_new("en", NULL);
    retr_doc d = docs[1];
    retr_hit h[5];
    size_t n;
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(retr_add(ix, &docs[i]), RETR_OK);
    assert_int_equal(top(ix, "parcel", NULL), 2);
    assert_int_equal(retr_remove(ix, 2), RETR_OK);
    assert_int_equal(retr_remove(ix, 2), RETR_ENOTFOUND);
    assert_int_equal(top(ix, "parcel", NULL), -1);
    assert_int_equal(retr_count(ix), 3);
    /* replacing keeps one copy under the id, with the new text */
    d.id = 3;
    assert_int_equal(retr_add(ix, &d), RETR_OK);
    assert_int_equal(retr_count(ix), 3);
    assert_int_equal(top(ix, "parcel", NULL), 3);
    assert_int_equal(retr_search(ix, "refunds", NULL, 5, h, &n), RETR_OK);
    assert_int_equal(n, 0);
    /* many adds and removes reuse slots */
    for (int64_t id = 100; id < 400; id++) {
        retr_doc x = { id, "bulk", "filler text", NULL, NULL };
        assert_int_equal(retr_add(ix, &x), RETR_OK);
    }
    for (int64_t id = 100; id < 400; id++)
        assert_int_equal(retr_remove(ix, id), RETR_OK);
    assert_int_equal(retr_count(ix), 3);
    assert_int_equal(top(ix, "password", NULL), 1);
    retr_free(ix);
}

static void test_snippet(void **state)
{
    retr_index *ix = retr_new("en", NULL);
    char body[4096] = "";
    retr_doc d = { 9, "Long", body, NULL, NULL };
    for (int i = 0; i < 40; i++)
        strcat(body, "Filler words about nothing much. ");
    strcat(body, "To <b>reset</b> a password, open settings. ");
    for (int i = 0; i < 40; i++)
        strcat(body, "More filler text here. ");
    assert_int_equal(retr_add(ix, &d), RETR_OK);
    char *s = retr_snippet(ix, 9, "reset password", 80);
    assert_non_null(s);
    assert_non_null(strstr(s, "<mark>password</mark>"));
    assert_non_null(strstr(s, "&lt;b&gt;<mark>reset</mark>&lt;/b&gt;")); /* escaped, marked */
    assert_memory_equal(s, "\xE2\x80\xA6", 3); /* cut at the start */
    assert_true(strlen(s) < 80 + 64);
    free(s);
    assert_null(retr_snippet(ix, 12345, "x", 80));
    /* words matched by stem through their indexed surface forms: "resetting" ~ "reset" */
    s = retr_snippet(ix, 9, "resetting passwords", 80);
    assert_non_null(s);
    assert_non_null(strstr(s, "<mark>password</mark>"));
    assert_non_null(strstr(s, "<mark>reset</mark>"));
    free(s);
    retr_free(ix);
}

/* Every Snowball language in one index (the index used to hold 8). */
static void test_all_languages(void **state)
{
    static const char *const langs[] = {
        "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish",
        "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian",
        "lithuanian", "nepali", "norwegian", "porter", "portuguese", "romanian", "russian",
        "serbian", "spanish", "swedish", "tamil", "turkish", "yiddish", "en", "de", "fr",
    };
    retr_index *ix = retr_new("en", NULL);
    const size_t n = sizeof langs / sizeof *langs;
    retr_hit h[5];
    size_t nh;
    char title[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(title, sizeof title, "marker%zu common", i);
        retr_doc d = { (int64_t)i + 1, title, "common words", NULL, langs[i] };
        assert_int_equal(retr_add(ix, &d), RETR_OK);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(title, sizeof title, "marker%zu", i);
        assert_int_equal(retr_search(ix, title, langs[i], 5, h, &nh), RETR_OK);
        assert_int_equal(nh, 1);
        assert_int_equal(h[0].id, (int64_t)i + 1);
    }
    assert_int_equal(retr_search(ix, "common", NULL, 5, h, &nh), RETR_OK);
    assert_int_equal(nh, 5);
    retr_free(ix);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Appends n words of a skewed 400-word vocabulary (frequent words are in most documents). */
static void rnd_words(char *buf, size_t cap, int n, uint64_t *s)
{
    static const char *const syl[] = { "ka", "lo", "mi", "ne", "pu", "ra", "si", "to" };
    size_t len = strlen(buf);
    for (int i = 0; i < n && len + 16 < cap; i++) {
        uint64_t r = rnd(s) % 400;
        unsigned w = (unsigned)(r * r / 400 % 400); /* skewed towards 0 */
        len += (size_t)snprintf(buf + len, cap - len, "%s%s%s%s", len ? " " : "", syl[w % 8], syl[w / 8 % 8],
                                w >= 64 ? syl[w / 64 % 8] : "");
    }
}

/* The filter of the pruning test: ids not divisible by 3. */
static bool not_third(int64_t id, void *ctx)
{
    (void)ctx;
    return id % 3 != 0;
}

/* Pruned top-k (MaxScore + block-max) equals the head of the exhaustive ranking,
 * scores included, through adds, replacements and removals; a filtered top-k
 * equals the exhaustive ranking with the rejected documents taken out. */
static void test_pruning_exact(void **state)
{
    retr_index *ix = retr_new("en", NULL);
    enum { N = 1500 };
    static retr_hit all[N], top[10];
    char title[128], body[2048], q[256];
    uint64_t s = 1;
    for (int64_t id = 1; id <= N; id++) {
        title[0] = body[0] = 0;
        rnd_words(title, sizeof title, 3 + (int)(rnd(&s) % 5), &s);
        rnd_words(body, sizeof body, 20 + (int)(rnd(&s) % 150), &s);
        retr_doc d = { id, title, body, NULL, id % 9 == 0 ? "de" : NULL };
        assert_int_equal(retr_add(ix, &d), RETR_OK);
        if (id % 11 == 0)
            assert_int_equal(retr_remove(ix, id - 4), RETR_OK);
        if (id % 13 == 0) {
            retr_doc r = { id - 6, "replaced", body + strlen(body) / 2, NULL, NULL };
            assert_int_equal(retr_add(ix, &r), RETR_OK);
        }
    }
    for (int i = 0; i < 300; i++) {
        size_t na, nt, k = 1 + (size_t)(i % 10);
        const char *lang = i % 7 == 0 ? "de" : NULL;
        q[0] = 0;
        rnd_words(q, sizeof q, 1 + i % 6, &s);
        assert_int_equal(retr_search(ix, q, lang, N, all, &na), RETR_OK);
        assert_int_equal(retr_search(ix, q, lang, k, top, &nt), RETR_OK);
        assert_int_equal(nt, na < k ? na : k);
        for (size_t j = 0; j < nt; j++) {
            assert_int_equal(top[j].id, all[j].id);
            assert_true(top[j].score == all[j].score);
        }
        assert_int_equal(retr_search_where(ix, q, lang, not_third, NULL, k, top, &nt), RETR_OK);
        size_t j = 0;
        for (size_t a = 0; a < na && j < k; a++) {
            if (!not_third(all[a].id, NULL))
                continue;
            assert_true(j < nt);
            assert_int_equal(top[j].id, all[a].id);
            assert_true(top[j].score == all[a].score);
            j++;
        }
        assert_int_equal(nt, j);
    }
    retr_free(ix);
}

static void *reader(void *arg)
{
    retr_index *ix = arg;
    for (int i = 0; i < 300; i++) {
        retr_hit h[3];
        size_t n;
        if (retr_search(ix, "password login", NULL, 3, h, &n) != RETR_OK || !n || h[0].id != 1)
            return (void *)1;
        char *s = retr_snippet(ix, 1, "password", 40);
        if (!s)
            return (void *)1;
        free(s);
    }
    return NULL;
}

static void test_concurrent_readers(void **state)
{
    retr_index *ix = *state;
    pthread_t th[4];
    void *res;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, reader, ix), 0);
    /* a writer adds and removes other documents meanwhile */
    for (int64_t id = 1000; id < 1100; id++) {
        retr_doc x = { id, "Shipping costs", "Shipping is free above 50 euros.", NULL, NULL };
        assert_int_equal(retr_add(ix, &x), RETR_OK);
        assert_int_equal(retr_remove(ix, id), RETR_OK);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], &res), 0);
        assert_null(res);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_remove_and_replace),
        cmocka_unit_test(test_snippet),
        cmocka_unit_test(test_concurrent_readers),
        cmocka_unit_test(test_all_languages),
        cmocka_unit_test(test_pruning_exact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
