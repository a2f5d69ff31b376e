/* Unit tests of the knowledge base's reading log (kb/stats.c) on SQLite: search as you type
 * folds a searcher's keystroke searches into the query they end with, and only those wait
 * for the next keystroke when the log is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/stats.h"
#include "store/db.h"
#include "store/migrations.h"

/* cmocka last: it defines a fail() macro */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static char dir[64];

static int setup(void **state)
{
    strcpy(dir, "/tmp/parley-kbstats-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char err[256];
    int applied;
    struct db *db = db_open(NULL, dir, err, sizeof err);
    if (!db || migrate_apply(db, &applied) != DB_DONE)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Logs a search of query by searcher who (typing or not) in English. */
static int64_t search(struct kb_stats *s, const char *who, const char *query, bool typing)
{
    struct kb_search_log e = {.query = query, .language = "en", .results = 1, .searcher = who, .typing = typing};
    return kb_stats_search(s, &e);
}

/* The logged queries, sorted and joined by "|"; then they are deleted. */
static void logged(struct db *db, char *out, size_t cap)
{
    struct db_stmt *st = db_query(db, "SELECT query FROM kb_searches ORDER BY query", NULL);
    out[0] = 0;
    while (db_step(st) == DB_ROW)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? "|" : "", db_col_text(st, 0));
    db_finalize(st);
    assert_int_equal(db_exec(db, "DELETE FROM kb_searches"), DB_DONE);
}

static void keystrokes_fold(void **state)
{
    struct db *db = *state;
    struct kb_stats *s = kb_stats_new();
    char got[512];
    int64_t id = search(s, "a", "pr", true);
    assert_int_equal(search(s, "a", "Print", true), id);
    assert_int_equal(search(s, "a", "printer  jam", true), id);
    assert_int_equal(search(s, "a", "printer j", true), id); /* backspace */
    assert_int_equal(search(s, "a", "printer jams", false), id); /* Enter: the same search, now final */
    assert_true(search(s, "a", "printer jams again", true) != id);
    /* the periodic write keeps the searches a keystroke may still replace */
    assert_int_equal(kb_stats_flush(s, db, false), DB_DONE);
    logged(db, got, sizeof got);
    assert_string_equal(got, "printer jams");
    assert_int_equal(kb_stats_flush(s, db, true), DB_DONE);
    logged(db, got, sizeof got);
    assert_string_equal(got, "printer jams again");
    kb_stats_free(s);
}

static void only_the_same_searchers_continuation(void **state)
{
    struct db *db = *state;
    struct kb_stats *s = kb_stats_new();
    char got[512];
    int64_t a = search(s, "a", "wifi", true);
    int64_t b = search(s, "b", "wifi setup", true);  /* someone else */
    assert_true(a != b);
    int64_t vpn = search(s, "a", "vpn", true);      /* a new question */
    assert_true(vpn != a);
    assert_true(search(s, "a", "wifi setup", true) != a); /* only the latest search continues */
    int64_t plain = search(s, "c", "vpn", false);
    assert_true(search(s, "c", "vpn client", true) != plain); /* an unmarked search is final */
    int64_t opened = search(s, "d", "mail", true);
    assert_int_equal(search(s, "d", "mail s", true), opened);
    kb_stats_view(s, 7, opened);
    assert_true(search(s, "d", "mail setup", true) != opened); /* a result was opened from it */
    struct kb_search_log de = {.query = "wifi setup", .language = "de", .results = 0, .searcher = "b", .typing = true};
    assert_true(kb_stats_search(s, &de) != b); /* another language */
    assert_int_equal(kb_stats_flush(s, db, true), DB_DONE);
    logged(db, got, sizeof got);
    assert_string_equal(got, "mail s|mail setup|vpn|vpn|vpn client|wifi|wifi setup|wifi setup|wifi setup");
    kb_stats_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keystrokes_fold),
        cmocka_unit_test(only_the_same_searchers_continuation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
