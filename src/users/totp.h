/* Two-factor authentication: TOTP (RFC 6238, SHA-1, 6 digits, 30 s) with liboath, secrets
 * sealed at rest, a QR code as SVG for enrolment, and ten one-time recovery codes. */
#ifndef PARLEY_USERS_TOTP_H
#define PARLEY_USERS_TOTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/crypto.h"
#include "util/error.h"

#define RECOVERY_CODES 10

/* Initialises liboath; false when it cannot. */
bool totp_init(void);
/* Starts enrolment for the actor's user: makes a new secret (sealed with key, pending until
 * totp_enable) and returns {secret, otpauth_uri, qr_svg}. Caller owns the result. */
json_t *totp_begin(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *email,
                   struct failure *f);
/* Turns 2FA on when otp matches the pending secret; *out gets {recovery_codes:[…]} (shown once). */
enum err totp_enable(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *otp,
                     json_t **out, struct failure *f);
/* Turns 2FA off after checking otp (a TOTP or a recovery code); audited. */
enum err totp_disable(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const struct actor *by, const char *otp,
                      struct failure *f);
/* True when otp is the current TOTP of user_id or one of its unused recovery codes (then used
 * up and audited). */
bool totp_verify(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], int64_t user_id, const char *otp,
                 const char *ip);
/* Renders text as a QR code in SVG; caller frees. NULL when it cannot be encoded. */
char *totp_qr_svg(const char *text);

#endif
