/* Cryptographic helpers over libsodium: random tokens, SHA-256, password hashing (argon2id),
 * and encryption of secrets at rest with a key file in the data folder. */
#ifndef PARLEY_UTIL_CRYPTO_H
#define PARLEY_UTIL_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_KEY_BYTES 32

/* Initialises libsodium; false when it cannot (the program must not go on). */
bool crypto_init(void);
/* Fills out with n random bytes. */
void crypto_random(void *out, size_t n);
/* Writes a random URL-safe token of `bytes` random bytes (base64url, no padding) into out
 * (cap must be at least bytes*4/3+2). */
void crypto_token(char *out, size_t cap, size_t bytes);
/* Writes the lowercase hex SHA-256 of data into out (65 bytes). */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);
/* Hashes a password with argon2id into out (128 bytes); false on out-of-memory. */
bool crypto_password_hash(const char *password, char out[128]);
/* True when password matches an argon2id hash made by crypto_password_hash. */
bool crypto_password_verify(const char *hash, const char *password);
/* Compares two strings in constant time for equal lengths. */
bool crypto_equal(const char *a, const char *b);
/* Loads the secret-box key from path, creating it (mode 0600) when missing. On error writes
 * a message to err and returns false. */
bool crypto_load_key(const char *path, uint8_t key[CRYPTO_KEY_BYTES], char *err, size_t errlen);
/* Encrypts plaintext with key; returns base64 text (nonce + ciphertext) the caller frees. */
char *crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES], const void *plain, size_t len);
/* Decrypts text made by crypto_seal into a NUL-terminated buffer the caller frees (length in
 * *len when not NULL); NULL when the text was tampered with or the key is wrong. */
char *crypto_open(const uint8_t key[CRYPTO_KEY_BYTES], const char *sealed, size_t *len);

#endif
