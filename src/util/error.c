#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const codes[ERR__COUNT] = {
    [ERR_OK] = "ok",
    [ERR_BAD_REQUEST] = "bad_request",
    [ERR_UNAUTHORIZED] = "unauthorized",
    [ERR_OTP_REQUIRED] = "otp_required",
    [ERR_FORBIDDEN] = "forbidden",
    [ERR_NOT_FOUND] = "not_found",
    [ERR_METHOD] = "method_not_allowed",
    [ERR_CONFLICT] = "conflict",
    [ERR_TOO_LARGE] = "payload_too_large",
    [ERR_UNSUPPORTED] = "unsupported_media_type",
    [ERR_VALIDATION] = "validation_failed",
    [ERR_RATE_LIMITED] = "rate_limited",
    [ERR_INTERNAL] = "internal",
    [ERR_UNAVAILABLE] = "unavailable",
};

const char *err_code(enum err e)
{
    if ((int)e < 0 || e >= ERR__COUNT)
        return "internal";
    return codes[e];
}

enum err fail(struct failure *f, enum err e, const char *field, const char *fmt, ...)
{
    if (f) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->message, sizeof f->message, fmt, ap);
        va_end(ap);
        snprintf(f->field, sizeof f->field, "%s", field ? field : "");
    }
    return e;
}
