#include "store/pg_listen.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_listener {
    PGconn *conn;
};

struct pg_listener *pg_listen(const char *url, const char *channel, char *err, size_t errlen)
{
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "LISTEN %s", channel);
    PGresult *res = PQexec(conn, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        snprintf(err, errlen, "LISTEN failed: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    struct pg_listener *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    l->conn = conn;
    return l;
}

int pg_listener_wait(struct pg_listener *l, int timeout_ms, void (*fn)(const char *payload, void *arg), void *arg)
{
    struct pollfd p = {.fd = PQsocket(l->conn), .events = POLLIN};
    if (p.fd < 0)
        return -1;
    int rc = poll(&p, 1, timeout_ms);
    if (rc < 0)
        return 0; /* interrupted: try again */
    if (rc > 0 && !PQconsumeInput(l->conn))
        return -1;
    int n = 0;
    PGnotify *note;
    while ((note = PQnotifies(l->conn)) != NULL) {
        fn(note->extra, arg);
        PQfreemem(note);
        n++;
    }
    return PQstatus(l->conn) == CONNECTION_OK ? n : -1;
}

void pg_listener_close(struct pg_listener *l)
{
    if (!l)
        return;
    PQfinish(l->conn);
    free(l);
}
