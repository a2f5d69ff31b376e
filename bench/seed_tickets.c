/* Fills a Parley SQLite database with N generated tickets (for list and memory benchmarks).
 * Usage: seed_tickets DB_PATH REQUESTER_ID N   — the schema must exist (run parley once). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: seed_tickets DB_PATH REQUESTER_ID N\n");
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "seed_tickets: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    char sql[2048];
    /* statuses and priorities cycle so that views have something to filter; a quarter unassigned */
    snprintf(sql, sizeof sql,
             "PRAGMA synchronous=OFF; BEGIN;"
             "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %lld)"
             " INSERT INTO tickets (subject, status, priority, channel, requester_id, assignee_id, tags,"
             " custom_fields, created_at, updated_at)"
             " SELECT 'Generated ticket ' || x, CASE x %% 4 WHEN 0 THEN 'new' WHEN 1 THEN 'open'"
             " WHEN 2 THEN 'pending' ELSE 'solved' END, CASE x %% 3 WHEN 0 THEN 'low' WHEN 1 THEN 'normal'"
             " ELSE 'high' END, 'web', %lld, CASE WHEN x %% 4 = 0 THEN NULL ELSE %lld END, '[]', '{}',"
             " 1700000000 + x, 1700000000 + x FROM n;"
             "COMMIT;",
             atoll(argv[3]), atoll(argv[2]), atoll(argv[2]));
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "seed_tickets: %s\n", err);
        sqlite3_free(err);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_close(db);
    return 0;
}
