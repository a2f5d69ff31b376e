#include "users/totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define SECRET_BYTES 20
#define RECOVERY_CODE_CHARS 10
#define ISSUER "Parley"

bool totp_init(void)
{
    return oath_init() == OATH_OK;
}

char *totp_qr_svg(const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return NULL;
    int w = qr->width, margin = 4, size = w + 2 * margin;
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_addf(&sb,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
                "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                size, size, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (qr->data[y * w + x] & 1)
                strbuf_addf(&sb, "M%d %dh1v1h-1z", x + margin, y + margin);
    strbuf_adds(&sb, "\"/></svg>");
    QRcode_free(qr);
    return strbuf_take(&sb, NULL);
}

/* Percent-encodes s for an otpauth:// URI. */
static void uri_escape(struct strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~@", *p))
            strbuf_addc(sb, (char)*p);
        else
            strbuf_addf(sb, "%%%02X", *p);
    }
}

static int audit_2fa(struct db *db, const struct actor *by, const char *action)
{
    struct audit_entry e = {.actor_kind = "user", .actor_id = by->user_id, .action = action,
                            .target_type = "user", .target_id = by->user_id, .ip = by->ip};
    return audit_append(db, &e);
}

json_t *totp_begin(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *email,
                   struct failure *f)
{
    unsigned char secret[SECRET_BYTES];
    crypto_random(secret, sizeof secret);
    char *b32 = NULL;
    size_t b32len = 0;
    if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &b32len) != OATH_OK) {
        fail(f, ERR_INTERNAL, NULL, "could not encode the secret");
        return NULL;
    }
    /* drop base32 padding: authenticator apps expect none */
    while (b32len && b32[b32len - 1] == '=')
        b32[--b32len] = 0;
    struct strbuf uri;
    strbuf_init(&uri, 0);
    strbuf_adds(&uri, "otpauth://totp/" ISSUER ":");
    uri_escape(&uri, email);
    strbuf_addf(&uri, "?secret=%s&issuer=" ISSUER "&algorithm=SHA1&digits=6&period=30", b32);
    char *sealed = crypto_seal(key, secret, sizeof secret);
    int rc = db_run(db, "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_enabled = 0", "ti", sealed,
                    by->user_id);
    free(sealed);
    json_t *out = NULL;
    char *svg = totp_qr_svg(uri.data);
    if (rc < 0)
        fail(f, ERR_INTERNAL, NULL, "could not save the secret: %s", db_errmsg(db));
    else
        out = json_pack("{s:s, s:s, s:s}", "secret", b32, "otpauth_uri", uri.data, "qr_svg", svg ? svg : "");
    free(svg);
    free(b32);
    strbuf_free(&uri);
    return out;
}

/* The user's sealed secret opened with key into secret; false when there is none. */
static bool load_secret(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], int64_t user_id,
                        unsigned char secret[SECRET_BYTES], bool *enabled)
{
    struct db_stmt *st = db_query(db, "SELECT totp_secret, totp_enabled FROM users WHERE id = $1", "i", user_id);
    bool ok = false;
    if (st && db_step(st) == DB_ROW && !db_col_null(st, 0)) {
        size_t len = 0;
        char *plain = crypto_open(key, db_col_text(st, 0), &len);
        if (plain && len == SECRET_BYTES) {
            memcpy(secret, plain, SECRET_BYTES);
            ok = true;
        }
        free(plain);
        *enabled = db_col_int(st, 1) != 0;
    }
    db_finalize(st);
    return ok;
}

/* True when otp is a TOTP of secret for the current 30 s step or one either side (clock
 * drift) that was not used before: the step is then recorded, so a code works once (RFC 6238
 * section 5.2). */
static bool totp_matches(struct db *db, int64_t user_id, const unsigned char secret[SECRET_BYTES], const char *otp)
{
    if (strlen(otp) != 6)
        return false;
    time_t now = time(NULL);
    int pos = 0;
    if (oath_totp_validate2((const char *)secret, SECRET_BYTES, now, 30, 0, 1, &pos, otp) < 0)
        return false;
    int64_t step = (int64_t)now / 30 + pos;
    struct db_stmt *st = db_query(db,
                                  "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1"
                                  " RETURNING id",
                                  "ii", step, user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    return rc == DB_ROW;
}

/* Recovery codes are compared without dashes and case. */
static void normalize_code(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        if (isalnum((unsigned char)*in))
            out[n++] = (char)tolower((unsigned char)*in);
    out[n] = 0;
}

/* A fresh recovery code "xxxxx-xxxxx": 10 characters (50 bits) from an alphabet without
 * look-alikes, so that it always normalizes to RECOVERY_CODE_CHARS characters. */
static void new_recovery_code(char out[RECOVERY_CODE_CHARS + 2])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32 characters */
    unsigned char random[RECOVERY_CODE_CHARS];
    crypto_random(random, sizeof random);
    size_t n = 0;
    for (int i = 0; i < RECOVERY_CODE_CHARS; i++) {
        if (i == RECOVERY_CODE_CHARS / 2)
            out[n++] = '-';
        out[n++] = alphabet[random[i] & 31];
    }
    out[n] = 0;
}

enum err totp_enable(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *otp,
                     json_t **out, struct failure *f)
{
    unsigned char secret[SECRET_BYTES];
    bool enabled = false;
    *out = NULL;
    if (!otp)
        return fail(f, ERR_VALIDATION, "otp", "otp is required");
    if (!load_secret(db, key, by->user_id, secret, &enabled))
        return fail(f, ERR_CONFLICT, NULL, "start the enrolment first (POST /api/v1/me/2fa)");
    if (enabled)
        return fail(f, ERR_CONFLICT, NULL, "two-factor authentication is already on");
    if (!totp_matches(db, by->user_id, secret, otp))
        return fail(f, ERR_VALIDATION, "otp", "the code does not match (or was used already); check the time on your device");
    json_t *codes = json_array();
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM recovery_codes WHERE user_id = $1", "i", by->user_id);
    for (int i = 0; i < RECOVERY_CODES && rc >= 0; i++) {
        char code[RECOVERY_CODE_CHARS + 2], norm[16], hash[65];
        new_recovery_code(code);
        normalize_code(code, norm, sizeof norm);
        crypto_sha256_hex(norm, strlen(norm), hash);
        json_array_append_new(codes, json_string(code));
        rc = db_run(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", "it", by->user_id, hash);
    }
    if (rc >= 0)
        rc = db_run(db, "UPDATE users SET totp_enabled = 1, updated_at = $1 WHERE id = $2", "ii", time_now(),
                    by->user_id);
    if (rc >= 0)
        rc = audit_2fa(db, by, "auth.2fa_enabled");
    if (rc >= 0 && db_commit(db) >= 0) {
        *out = json_pack("{s:o}", "recovery_codes", codes);
        return ERR_OK;
    }
    db_rollback(db);
    json_decref(codes);
    return fail(f, ERR_INTERNAL, NULL, "could not turn on two-factor authentication: %s", db_errmsg(db));
}

bool totp_verify(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], int64_t user_id, const char *otp,
                 const char *ip)
{
    unsigned char secret[SECRET_BYTES];
    bool enabled = false;
    if (!otp || !load_secret(db, key, user_id, secret, &enabled))
        return false;
    if (totp_matches(db, user_id, secret, otp))
        return true;
    char norm[32], hash[65];
    normalize_code(otp, norm, sizeof norm);
    if (strlen(norm) != RECOVERY_CODE_CHARS)
        return false;
    crypto_sha256_hex(norm, strlen(norm), hash);
    if (db_begin(db) < 0)
        return false;
    struct db_stmt *st = db_query(db,
                                  "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3"
                                  " AND used_at IS NULL RETURNING id",
                                  "iit", time_now(), user_id, hash);
    int rc = st ? db_step(st) : DB_ERROR;
    db_finalize(st);
    struct actor by = {.user_id = user_id, .ip = ip};
    if (rc == DB_ROW && audit_2fa(db, &by, "auth.recovery_code_used") >= 0 && db_commit(db) >= 0)
        return true;
    db_rollback(db);
    return false;
}

enum err totp_disable(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *otp,
                      struct failure *f)
{
    if (!otp)
        return fail(f, ERR_VALIDATION, "otp", "otp is required");
    if (!totp_verify(db, key, by->user_id, otp, by->ip))
        return fail(f, ERR_VALIDATION, "otp", "the code does not match");
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "UPDATE users SET totp_enabled = 0, totp_secret = NULL, updated_at = $1 WHERE id = $2", "ii",
                    time_now(), by->user_id);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM recovery_codes WHERE user_id = $1", "i", by->user_id);
    if (rc >= 0)
        rc = audit_2fa(db, by, "auth.2fa_disabled");
    if (rc >= 0 && db_commit(db) >= 0)
        return ERR_OK;
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "could not turn off two-factor authentication: %s", db_errmsg(db));
}
