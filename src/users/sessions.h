/* Sign-in sessions: random opaque tokens stored only as SHA-256 hashes, with idle and absolute
 * expiry, plus the brute-force guard of the sign-in form. */
#ifndef PARLEY_USERS_SESSIONS_H
#define PARLEY_USERS_SESSIONS_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "users/principal.h"
#include "util/arena.h"
#include "util/error.h"

#define SESSION_TOKEN_CHARS 44
#define LOGIN_MAX_FAILURES 10
#define LOGIN_FAILURE_WINDOW (15 * 60)

/* Creates a session for user_id; writes the cookie token and the CSRF token (each
 * SESSION_TOKEN_CHARS+1 bytes) and the new id. */
int sessions_create(struct db *db, int64_t user_id, const char *ip, const char *user_agent,
                    char token[SESSION_TOKEN_CHARS + 1], char csrf[SESSION_TOKEN_CHARS + 1], int64_t *id);
/* Finds the live session of token (not revoked, not expired by idle_s or max_s seconds, its user
 * active) and fills p (strings in arena); ERR_UNAUTHORIZED when there is none. Refreshes the
 * session's last-seen time at most once a minute. */
enum err sessions_lookup(struct db *db, struct arena *arena, const char *token, int64_t idle_s, int64_t max_s,
                         struct principal *p);
/* Ends one session of user_id; ERR_NOT_FOUND when it is not theirs or already ended. */
enum err sessions_revoke(struct db *db, int64_t user_id, int64_t session_id);
/* Lists the live sessions of user_id (not revoked, idle at most idle_s seconds, begun at most
 * max_s seconds ago): {id, created_at, last_seen_at, ip, user_agent, current}. Caller owns it. */
json_t *sessions_list(struct db *db, int64_t user_id, int64_t current_id, int64_t idle_s, int64_t max_s);
/* Seconds the caller must wait before another sign-in attempt for email or from ip; 0 when
 * fewer than LOGIN_MAX_FAILURES failures happened in the window. Negative on a database error. */
int64_t sessions_login_blocked(struct db *db, const char *email, const char *ip);
/* Records a failed sign-in and audits it; why names what was wrong ("password", "otp"). */
int sessions_login_failed(struct db *db, const char *email, const char *ip, const char *why);
/* Forgets the failures of email after a successful sign-in. */
int sessions_login_succeeded(struct db *db, const char *email);

#endif
