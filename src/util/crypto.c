#include "util/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool crypto_init(void)
{
    return sodium_init() >= 0;
}

void crypto_random(void *out, size_t n)
{
    randombytes_buf(out, n);
}

void crypto_token(char *out, size_t cap, size_t bytes)
{
    unsigned char raw[64];
    if (bytes > sizeof raw)
        bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2base64(out, cap, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void crypto_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

bool crypto_password_hash(const char *password, char out[128])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool crypto_password_verify(const char *hash, const char *password)
{
    return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool crypto_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la == lb && sodium_memcmp(a, b, la) == 0;
}

bool crypto_load_key(const char *path, uint8_t key[CRYPTO_KEY_BYTES], char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        crypto_random(key, CRYPTO_KEY_BYTES);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            bool ok = write(fd, key, CRYPTO_KEY_BYTES) == CRYPTO_KEY_BYTES && fsync(fd) == 0;
            close(fd);
            if (ok)
                return true;
            unlink(path);
            snprintf(err, errlen, "cannot write key file %s", path);
            return false;
        }
        if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
            return false;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC); /* another process made it first */
    }
    if (fd < 0) {
        snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
        return false;
    }
    ssize_t n = read(fd, key, CRYPTO_KEY_BYTES);
    close(fd);
    if (n != CRYPTO_KEY_BYTES) {
        snprintf(err, errlen, "key file %s is damaged (expected %d bytes)", path, CRYPTO_KEY_BYTES);
        return false;
    }
    return true;
}

char *crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES], const void *plain, size_t len)
{
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    unsigned char *box = malloc(blen);
    size_t tlen = sodium_base64_encoded_len(blen, sodium_base64_VARIANT_ORIGINAL);
    char *text = malloc(tlen);
    if (!box || !text)
        abort();
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len, box, key);
    sodium_bin2base64(text, tlen, box, blen, sodium_base64_VARIANT_ORIGINAL);
    free(box);
    return text;
}

char *crypto_open(const uint8_t key[CRYPTO_KEY_BYTES], const char *sealed, size_t *len)
{
    size_t slen = strlen(sealed), blen = 0;
    unsigned char *box = malloc(slen + 1);
    if (!box)
        abort();
    char *plain = NULL;
    if (sodium_base642bin(box, slen, sealed, slen, NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        goto done;
    size_t plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    plain = malloc(plen + 1);
    if (!plain)
        abort();
    if (crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, key) != 0) {
        free(plain);
        plain = NULL;
        goto done;
    }
    plain[plen] = 0;
    if (len)
        *len = plen;
done:
    free(box);
    return plain;
}
