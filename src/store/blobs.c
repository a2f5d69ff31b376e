#include "store/blobs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool make_dir(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* data_dir/blobs/ab/abcdef…: two levels keep folders small. */
static void blob_path(const char *root, const char *sha, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%.2s/%s", root, sha, sha);
}

bool blob_begin(struct blob_writer *w, const char *data_dir, char *err, size_t errlen)
{
    w->fd = -1;
    w->size = 0;
    snprintf(w->root, sizeof w->root, "%s/blobs", data_dir);
    char tmp_dir[1100];
    snprintf(tmp_dir, sizeof tmp_dir, "%s/tmp", w->root);
    if (!make_dir(w->root) || !make_dir(tmp_dir)) {
        snprintf(err, errlen, "cannot create %s: %s", tmp_dir, strerror(errno));
        return false;
    }
    snprintf(w->tmp_path, sizeof w->tmp_path, "%s/upload-XXXXXX", tmp_dir);
    w->fd = mkstemp(w->tmp_path);
    if (w->fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", tmp_dir, strerror(errno));
        return false;
    }
    crypto_hash_sha256_init(&w->hash);
    return true;
}

bool blob_write(struct blob_writer *w, const void *data, size_t len)
{
    const char *p = data;
    crypto_hash_sha256_update(&w->hash, data, len);
    while (len) {
        ssize_t n = write(w->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    w->size += (uint64_t)(p - (const char *)data);
    return true;
}

bool blob_commit(struct blob_writer *w, char sha[65], char *err, size_t errlen)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&w->hash, digest);
    sodium_bin2hex(sha, 65, digest, sizeof digest);
    char dir[1100], path[1300];
    snprintf(dir, sizeof dir, "%s/%.2s", w->root, sha);
    blob_path(w->root, sha, path, sizeof path);
    bool ok = fsync(w->fd) == 0 && make_dir(dir);
    close(w->fd);
    w->fd = -1;
    if (ok)
        ok = rename(w->tmp_path, path) == 0;
    if (ok) {
        /* the rename is durable once the folder is synced */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        w->tmp_path[0] = 0;
        return true;
    }
    snprintf(err, errlen, "cannot store the file: %s", strerror(errno));
    blob_abort(w);
    return false;
}

void blob_abort(struct blob_writer *w)
{
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    if (w->tmp_path[0]) {
        unlink(w->tmp_path);
        w->tmp_path[0] = 0;
    }
}

int blob_open(const char *data_dir, const char *sha, uint64_t *size)
{
    char root[1100], path[1300];
    snprintf(root, sizeof root, "%s/blobs", data_dir);
    blob_path(root, sha, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0) {
        *size = (uint64_t)st.st_size;
        return fd;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

void blob_remove(const char *data_dir, const char *sha)
{
    char root[1100], path[1300];
    snprintf(root, sizeof root, "%s/blobs", data_dir);
    blob_path(root, sha, path, sizeof path);
    unlink(path);
}
