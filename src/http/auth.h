/* Who is calling and may they: session cookies and API keys, CSRF, the permission of the
 * route, the two-factor requirement for staff, and rate limits. Runs before every handler. */
#ifndef PARLEY_HTTP_AUTH_H
#define PARLEY_HTTP_AUTH_H
#include "http/request.h"

#define SESSION_COOKIE "parley_session"

/* Establishes r->me from the session cookie or the bearer API key, then checks the route's
 * permission, CSRF and the 2FA requirement, then counts the route's rate limit. On refusal it
 * records the error (401, 403, 404 for customers, 429) and returns it. */
enum err auth_check(struct request *r);
/* The Set-Cookie value for a new session token (Secure when the request came over HTTPS or
 * from a proxy that says so); arena memory. An empty token makes a cookie that expires now. */
const char *auth_session_cookie(struct request *r, const char *token);

#endif
