#include "http/static_files.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char placeholder[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Parley</title></head><body><main><h1>Parley</h1>"
    "<p>The helpdesk server is running. The web interface has not been built yet: "
    "run <code>make</code> to build it. The API is at <code>/api/v1</code>.</p></main></body></html>";

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void static_find_root(const char *configured, char *out, size_t cap)
{
    out[0] = 0;
    if (configured && *configured) {
        if (realpath(configured, out) == NULL || !is_dir(out))
            out[0] = 0;
        return;
    }
    char exe[4096], candidate[4200];
    if (realpath("web/dist", out) && is_dir(out))
        return;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        /* build/parley or build/asan/parley: the tree's root is one or two levels up */
        char *dir = dirname(exe);
        for (int up = 0; up < 3; up++) {
            snprintf(candidate, sizeof candidate, "%s/web/dist", dir);
            if (realpath(candidate, out) && is_dir(out))
                return;
            dir = dirname(dir);
        }
    }
    out[0] = 0;
    (void)cap;
}

static const char *content_type(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
        {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
        {".gif", "image/gif"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
        {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i][0]) == 0)
                return types[i][1];
    return "application/octet-stream";
}

/* A path is safe when it is absolute and has no empty, "." or ".." segment. */
static bool safe_path(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return false;
    for (const char *seg = path + 1; *seg;) {
        size_t len = strcspn(seg, "/");
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (len == 0 && seg[0] == '/')
            return false;
        seg += len;
        if (*seg == '/')
            seg++;
    }
    return true;
}

static enum err send_file(struct request *r, const char *root, const char *rel, bool immutable)
{
    char full[4400];
    snprintf(full, sizeof full, "%s%s", root, rel);
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return ERR_NOT_FOUND;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ERR_NOT_FOUND;
    }
    r->file_fd = fd;
    r->file_size = st.st_size;
    r->status = 200;
    r->content_type = content_type(rel);
    req_add_header(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return ERR_OK;
}

enum err static_serve(struct request *r, const char *root)
{
    if (!safe_path(r->path))
        return req_fail(r, ERR_NOT_FOUND, NULL, "not found");
    if (!*root) {
        strbuf_adds(&r->out, placeholder);
        r->status = 200;
        r->content_type = "text/html; charset=utf-8";
        req_add_header(r, "Cache-Control", "no-cache");
        return ERR_OK;
    }
    const char *rel = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
    bool immutable = strncmp(rel, "/assets/", 8) == 0;
    if (send_file(r, root, rel, immutable) == ERR_OK)
        return ERR_OK;
    /* the UI's own routes (/agent/tickets/3) have no dot in their last segment */
    const char *last = strrchr(rel, '/');
    if (!strchr(last, '.') && send_file(r, root, "/index.html", false) == ERR_OK)
        return ERR_OK;
    return req_fail(r, ERR_NOT_FOUND, NULL, "not found");
}
