/* The attachment blob store: files under DATA/blobs named by their SHA-256 (so one content is
 * stored once), written to a temporary file while they stream in and renamed when complete. */
#ifndef PARLEY_STORE_BLOBS_H
#define PARLEY_STORE_BLOBS_H
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blob_writer {
    int fd;                         /* -1 when closed */
    char root[1024];
    char tmp_path[1200];
    crypto_hash_sha256_state hash;
    uint64_t size;
};

/* Starts a new blob under data_dir/blobs; false with err filled on failure. */
bool blob_begin(struct blob_writer *w, const char *data_dir, char *err, size_t errlen);
/* Appends bytes; false on a write error. */
bool blob_write(struct blob_writer *w, const void *data, size_t len);
/* Makes the blob durable and gives it its name; writes the SHA-256 (hex) to sha. */
bool blob_commit(struct blob_writer *w, char sha[65], char *err, size_t errlen);
/* Drops an unfinished blob (safe to call after commit or twice). */
void blob_abort(struct blob_writer *w);
/* Opens the blob named sha for reading; -1 when it is missing. *size gets its length. */
int blob_open(const char *data_dir, const char *sha, uint64_t *size);
/* Deletes the blob named sha (when no record refers to it any more). */
void blob_remove(const char *data_dir, const char *sha);

#endif
