#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "events/bus.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/proxy.h"
#include "http/query.h"
#include "http/static_files.h"
#include "users/principal.h"
#include "store/pool.h"
#include "util/log.h"
#include "util/timeutil.h"

#define DISCARD_MAX (16u * 1024 * 1024)

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " \
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "           \
            "form-action 'self'; frame-ancestors 'none'"

struct server {
    struct app *app;
    const struct route *routes;
    size_t nroutes;
    char web_root[4096];
    struct proxy_list proxies;
    atomic_int inflight;
};

/* Request state that only the adapter needs, around the handlers' view. */
struct exchange {
    struct request r;
    struct server *srv;
    struct MHD_Connection *conn;
    struct bus_sub *sub;            /* the live event stream, when the request is one */
    bool started, answered, too_large;
    bool failed;                    /* a streamed body was refused: the rest is read and dropped */
    size_t discarded;               /* bytes of an oversized body read and dropped */
    char ip[INET6_ADDRSTRLEN];
};

static const char *lookup_header(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Called first for every request with the raw URI: creates the request's state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct exchange *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    x->srv = srv;
    struct request *r = &x->r;
    r->app = srv->app;
    r->start_us = time_mono_us();
    r->file_fd = -1;
    arena_init(&r->arena, 8192);
    strbuf_init(&r->out, 0);
    const char *q = strchr(uri, '?');
    r->raw_query = q ? arena_strdup(&r->arena, q + 1) : "";
    atomic_fetch_add(&srv->inflight, 1);
    return x;
}

static void wake_connection(void *arg)
{
    MHD_resume_connection(arg);
}

/* Feeds the event stream to the client; pauses the connection while there is nothing to send. */
static ssize_t read_events(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct exchange *x = cls;
    bool suspend;
    long n = bus_read(x->sub, buf, max, &suspend);
    if (suspend)
        MHD_suspend_connection(x->conn);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct exchange *x)
{
    struct request *r = &x->r;
    struct MHD_Response *resp;
    if (r->event_stream) {
        x->sub = bus_subscribe(r->app->bus, r->me->user_id, role_is_staff(r->me->role), wake_connection, conn);
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, read_events, x, NULL);
        req_add_header(r, "Cache-Control", "no-cache");
        req_add_header(r, "X-Accel-Buffering", "no");
    } else if (r->file_fd >= 0) {
        resp = MHD_create_response_from_fd64((uint64_t)r->file_size, r->file_fd);
        r->file_fd = -1; /* the response owns it now */
    } else {
        size_t len;
        char *body = strbuf_take(&r->out, &len);
        resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    }
    if (!resp)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    bool has_cache = false;
    for (int i = 0; i < r->nheaders; i++) {
        MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
        has_cache |= strcasecmp(r->header_names[i], "Cache-Control") == 0;
    }
    if (!has_cache)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    x->answered = true;
    return ret;
}

static enum MHD_Result fail_now(struct MHD_Connection *conn, struct exchange *x, enum err e, const char *msg)
{
    req_fail(&x->r, e, NULL, "%s", msg);
    errors_respond(&x->r);
    return queue(conn, x);
}

/* Parses the query and checks the caller: what every routed request needs before its body. */
static enum err prepare(struct request *r)
{
    if (!query_parse(r->raw_query, strlen(r->raw_query), &r->arena, &r->query, &r->nquery))
        return req_fail(r, ERR_BAD_REQUEST, NULL, "malformed query string");
    return auth_check(r);
}

static void run_handler(struct exchange *x)
{
    struct request *r = &x->r;
    struct server *srv = x->srv;
    if (!r->route) {
        bool api = strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
        bool known = false;
        const char *params[REQ_MAX_PARAMS];
        router_match(srv->routes, srv->nroutes, r->method, r->path, &r->arena, params, &known);
        if (known)
            req_fail(r, ERR_METHOD, NULL, "%s is not allowed on %s", r->method, r->path);
        else if (!api && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0))
            static_serve(r, srv->web_root);
        else
            req_fail(r, ERR_NOT_FOUND, NULL, "no such route: %s %s", r->method, r->path);
        return;
    }
    if (!r->route->body_chunk) {
        if (prepare(r))
            return;
        if (r->body.len > 0) {
            char msg[256];
            r->json = body_parse_json(r->body.data, r->body.len, msg, sizeof msg);
            if (!r->json) {
                req_fail(r, ERR_BAD_REQUEST, NULL, "%s", msg);
                return;
            }
        }
    }
    r->route->handler(r);
}

/* Answers now with the error already recorded on the request. */
static enum MHD_Result answer_error(struct MHD_Connection *conn, struct exchange *x)
{
    errors_respond(&x->r);
    return queue(conn, x);
}

static size_t max_of(struct request *r)
{
    return route_max_body(r->route);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct server *srv = cls;
    struct exchange *x = *con_cls;
    struct request *r = &x->r;
    if (!x->started) {
        x->started = true;
        r->method = arena_strdup(&r->arena, method);
        r->path = arena_strdup(&r->arena, url);
        r->conn = conn;
        x->conn = conn;
        r->header_fn = lookup_header;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, x->ip, sizeof x->ip);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, x->ip, sizeof x->ip);
        }
        if (srv->proxies.n) {
            char peer[INET6_ADDRSTRLEN];
            snprintf(peer, sizeof peer, "%s", x->ip);
            proxy_client_address(&srv->proxies, peer, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
                                 x->ip, sizeof x->ip);
        }
        r->client_ip = x->ip;
        bool known;
        r->route = router_match(srv->routes, srv->nroutes, method, url, &r->arena, r->params, &known);
        size_t max = route_max_body(r->route);
        strbuf_init(&r->body, max);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
        if (declared > max) {
            x->too_large = true;
            /* a modest excess is read and dropped so the client sees the answer; a huge one is
             * refused at once (the connection then closes) */
            if (declared - max > DISCARD_MAX)
                return fail_now(conn, x, ERR_TOO_LARGE, "the request body is larger than this route accepts");
        }
        /* a streamed body (uploads) is only accepted from a caller who may send it */
        if (!x->too_large && r->route && r->route->body_chunk && prepare(r))
            return answer_error(conn, x);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (x->answered)
            return MHD_YES;
        if (!x->too_large && r->route && r->route->body_chunk) {
            r->body_received += n;
            if (x->failed) {
                /* libmicrohttpd answers only before or after the body: drop the rest, then answer;
                 * a sender that goes on and on is cut off */
                return r->body_received > max_of(r) + DISCARD_MAX ? MHD_NO : MHD_YES;
            }
            if (r->body_received > max_of(r) || r->route->body_chunk(r, upload_data, n)) {
                if (!r->err)
                    req_fail(r, ERR_TOO_LARGE, NULL, "the request body is larger than this route accepts");
                x->failed = true;
            }
            return MHD_YES;
        }
        if (!x->too_large && !strbuf_add(&r->body, upload_data, n)) {
            x->too_large = true;
            strbuf_free(&r->body);
        }
        if (x->too_large) {
            x->discarded += n;
            if (x->discarded > DISCARD_MAX + max_of(r))
                return fail_now(conn, x, ERR_TOO_LARGE, "the request body is larger than this route accepts");
        }
        return MHD_YES;
    }
    if (x->answered)
        return MHD_YES;
    if (x->too_large)
        return fail_now(conn, x, ERR_TOO_LARGE, "the request body is larger than this route accepts");
    if (x->failed)
        return answer_error(conn, x);
    run_handler(x);
    return r->err ? answer_error(conn, x) : queue(conn, x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct exchange *x = *con_cls;
    if (!x)
        return;
    struct request *r = &x->r;
    if (r->method)
        log_info("%s %s %d %lldus%s", r->method, r->path, x->answered ? r->status : 0,
                 (long long)(time_mono_us() - r->start_us),
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
    if (x->sub)
        bus_unsubscribe(x->sub);
    if (r->cleanup)
        r->cleanup(r);
    if (r->file_fd >= 0)
        close(r->file_fd);
    json_decref(r->json);
    db_pool_release(srv->app->pool, r->db);
    strbuf_free(&r->body);
    strbuf_free(&r->out);
    arena_reset(&r->arena);
    free(x);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

void server_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* worker threads when --threads is not given: a worker waits while its write goes to disk, and
 * the writers waiting together share one fsync, so more workers than cores make bigger batches
 * (ticket creation on 2 cores: 790/s with 2 workers, 3,000-4,000/s with 16 to 64) */
#define DEFAULT_WORKERS 32

static int worker_count(const struct config *cfg) { return cfg->threads > 0 ? cfg->threads : DEFAULT_WORKERS; }

int server_run(struct app *app, const struct route *routes, size_t nroutes)
{
    struct server srv = {.app = app, .routes = routes, .nroutes = nroutes};
    static_find_root(app->cfg.web_dir, srv.web_root, sizeof srv.web_root);
    char err[256];
    if (!proxy_parse(app->cfg.trusted_proxies, &srv.proxies, err, sizeof err)) {
        log_error("%s", err);
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->cfg.port)};
    if (inet_pton(AF_INET, app->cfg.bind, &addr.sin_addr) != 1) {
        log_error("bind address '%s' is not an IPv4 address", app->cfg.bind);
        return 1;
    }
    int threads = worker_count(&app->cfg);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, &srv,
        MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_END);
    if (!d) {
        log_error("cannot listen on %s:%d (is the port in use?)", app->cfg.bind, app->cfg.port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("parley listening on http://%s:%u with %d worker threads; web UI: %s", app->cfg.bind,
             info ? info->port : (unsigned)app->cfg.port, threads, *srv.web_root ? srv.web_root : "placeholder page");

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("received %s: no new connections; finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_socket listen_fd = MHD_quiesce_daemon(d);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    bus_close_all(app->bus); /* live streams end, so they do not hold the shutdown */
    int64_t deadline = time_mono_us() + 10 * 1000000;
    while (atomic_load(&srv.inflight) > 0 && time_mono_us() < deadline)
        usleep(10000);
    MHD_stop_daemon(d);
    log_info("stopped");
    return 0;
}
