#include "util/filetype.h"

#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct filetype {
    pthread_mutex_t lock;   /* a magic_t is not safe to share between threads */
    magic_t cookie;
};

struct filetype *filetype_create(void)
{
    magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
    if (!cookie || magic_load(cookie, NULL) != 0) {
        if (cookie)
            magic_close(cookie);
        return NULL;
    }
    struct filetype *ft = calloc(1, sizeof *ft);
    if (!ft)
        abort();
    pthread_mutex_init(&ft->lock, NULL);
    ft->cookie = cookie;
    return ft;
}

void filetype_destroy(struct filetype *ft)
{
    if (!ft)
        return;
    magic_close(ft->cookie);
    pthread_mutex_destroy(&ft->lock);
    free(ft);
}

void filetype_sniff(struct filetype *ft, const void *head, size_t len, char *out, size_t cap)
{
    pthread_mutex_lock(&ft->lock);
    const char *type = len ? magic_buffer(ft->cookie, head, len) : NULL;
    snprintf(out, cap, "%s", type ? type : "application/octet-stream");
    pthread_mutex_unlock(&ft->lock);
}
