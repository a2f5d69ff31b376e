/* The durable-write ceiling of this machine for SQLite: rows/s inserted with
 * journal_mode=WAL and synchronous=FULL, committing every BATCH rows.
 *
 *   sqlite_insert DBFILE BATCH MAX_ROWS MAX_SECONDS
 *
 * Inserts rows of ~300 bytes (a message-like row: ids, a timestamp, a text body)
 * until MAX_ROWS are in or MAX_SECONDS have passed (checked after each commit),
 * then prints one JSON line:
 *   {"batch":B,"rows":N,"commits":C,"seconds":S,"rows_per_sec":R,"commits_per_sec":K,
 *    "commit_us_p50":..,"commit_us_p99":..}
 * DBFILE is created afresh (any old file and its -wal/-shm are removed first).
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
  fprintf(stderr, "sqlite_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "sqlite_insert: %s: %s\n", sql, err ? err : "?");
    exit(1);
  }
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: %s DBFILE BATCH MAX_ROWS MAX_SECONDS\n", argv[0]);
    return 2;
  }
  const char *path = argv[1];
  long batch = atol(argv[2]);
  long max_rows = atol(argv[3]);
  double max_seconds = atof(argv[4]);
  if (batch < 1 || max_rows < 1 || max_seconds <= 0) {
    fprintf(stderr, "sqlite_insert: BATCH, MAX_ROWS and MAX_SECONDS must be positive\n");
    return 2;
  }

  char side[4096];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);

  sqlite3 *db = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK) die(db, "open");
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=FULL");
  exec(db, "CREATE TABLE messages ("
           " id INTEGER PRIMARY KEY,"
           " ticket_id INTEGER NOT NULL,"
           " author_id INTEGER NOT NULL,"
           " created_at TEXT NOT NULL,"
           " body TEXT NOT NULL)");
  exec(db, "CREATE INDEX messages_ticket ON messages(ticket_id, id)");

  sqlite3_stmt *ins = NULL, *begin = NULL, *commit = NULL;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO messages(ticket_id, author_id, created_at, body)"
                         " VALUES ($1, $2, $3, $4)",
                         -1, &ins, NULL) != SQLITE_OK)
    die(db, "prepare insert");
  if (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) != SQLITE_OK)
    die(db, "prepare begin");
  if (sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK)
    die(db, "prepare commit");

  char body[257];
  for (size_t i = 0; i < sizeof body - 1; i++) body[i] = (char)('a' + (i * 7) % 26);
  body[sizeof body - 1] = 0;

  size_t cap = 1024, ncommits = 0;
  double *commit_times = malloc(cap * sizeof *commit_times);
  if (!commit_times) return 1;

  long rows = 0;
  double t0 = now();
  double elapsed = 0;
  while (rows < max_rows) {
    if (sqlite3_step(begin) != SQLITE_DONE) die(db, "begin");
    sqlite3_reset(begin);
    for (long i = 0; i < batch && rows < max_rows; i++, rows++) {
      sqlite3_bind_int64(ins, 1, rows / 10 + 1);
      sqlite3_bind_int64(ins, 2, rows % 50 + 1);
      sqlite3_bind_text(ins, 3, "2026-11-25T01:43:02Z", -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, body, -1, SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) die(db, "insert");
      sqlite3_reset(ins);
    }
    double c0 = now();
    if (sqlite3_step(commit) != SQLITE_DONE) die(db, "commit");
    sqlite3_reset(commit);
    double c1 = now();
    if (ncommits == cap) {
      cap *= 2;
      double *grown = realloc(commit_times, cap * sizeof *commit_times);
      if (!grown) return 1;
      commit_times = grown;
    }
    commit_times[ncommits++] = (c1 - c0) * 1e6;
    elapsed = c1 - t0;
    if (elapsed >= max_seconds) break;
  }

  qsort(commit_times, ncommits, sizeof *commit_times, cmp_double);
  double p50 = commit_times[ncommits / 2];
  double p99 = commit_times[(size_t)((double)(ncommits - 1) * 0.99)];
  printf("{\"batch\":%ld,\"rows\":%ld,\"commits\":%zu,\"seconds\":%.3f,"
         "\"rows_per_sec\":%.0f,\"commits_per_sec\":%.0f,"
         "\"commit_us_p50\":%.0f,\"commit_us_p99\":%.0f}\n",
         batch, rows, ncommits, elapsed, (double)rows / elapsed, (double)ncommits / elapsed, p50,
         p99);

  free(commit_times);
  sqlite3_finalize(ins);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_close(db);
  return 0;
}
