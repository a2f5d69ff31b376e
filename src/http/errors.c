#include "http/errors.h"

static const int statuses[ERR__COUNT] = {
    [ERR_OK] = 200,
    [ERR_BAD_REQUEST] = 400,
    [ERR_UNAUTHORIZED] = 401,
    [ERR_OTP_REQUIRED] = 401,
    [ERR_FORBIDDEN] = 403,
    [ERR_NOT_FOUND] = 404,
    [ERR_METHOD] = 405,
    [ERR_CONFLICT] = 409,
    [ERR_TOO_LARGE] = 413,
    [ERR_UNSUPPORTED] = 415,
    [ERR_VALIDATION] = 422,
    [ERR_RATE_LIMITED] = 429,
    [ERR_INTERNAL] = 500,
    [ERR_UNAVAILABLE] = 503,
};

int err_status(enum err e)
{
    return (int)e > 0 && e < ERR__COUNT ? statuses[e] : 500;
}

static const char *default_message(enum err e)
{
    switch (e) {
    case ERR_NOT_FOUND: return "not found";
    case ERR_INTERNAL: return "internal error";
    default: return err_code(e);
    }
}

void errors_respond(struct request *r)
{
    json_t *inner = json_pack("{s:s, s:s}", "code", err_code(r->err), "message",
                              r->err_message ? r->err_message : default_message(r->err));
    if (r->err_field)
        json_object_set_new(inner, "field", json_string(r->err_field));
    enum err e = r->err;
    req_json(r, err_status(e), json_pack("{s:o}", "error", inner));
    r->err = e;
}
