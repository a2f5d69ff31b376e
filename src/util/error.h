/* Error codes shared by every layer. 0 is success; http/errors.c maps each to a status. */
#ifndef PARLEY_UTIL_ERROR_H
#define PARLEY_UTIL_ERROR_H

enum err {
    ERR_OK = 0,
    ERR_BAD_REQUEST,    /* malformed JSON or parameters: 400 */
    ERR_UNAUTHORIZED,   /* no or bad credentials: 401 */
    ERR_OTP_REQUIRED,   /* second factor missing or wrong: 401 */
    ERR_FORBIDDEN,      /* known caller, not allowed: 403 */
    ERR_NOT_FOUND,      /* absent or not visible to the caller: 404 */
    ERR_METHOD,         /* route exists, method does not: 405 */
    ERR_CONFLICT,       /* state changed meanwhile or duplicate: 409 */
    ERR_TOO_LARGE,      /* body over the route's limit: 413 */
    ERR_UNSUPPORTED,    /* content type not accepted: 415 */
    ERR_VALIDATION,     /* well-formed but invalid value: 422 */
    ERR_RATE_LIMITED,   /* over a rate limit: 429 */
    ERR_INTERNAL,       /* anything unexpected (database down, bug): 500 */
    ERR_UNAVAILABLE,    /* shutting down or overloaded: 503 */
    ERR__COUNT
};

/* Returns the stable machine-readable code of an error ("not_found"); static storage. */
const char *err_code(enum err e);

/* Why a domain operation failed, for the caller to show: the field it names ("" for none)
 * and a message. */
struct failure {
    char field[96];
    char message[256];
};

/* Fills f (when not NULL; field may be NULL) and returns e, so domain code can `return fail(f, ERR_…, "field", …)`. */
enum err fail(struct failure *f, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
