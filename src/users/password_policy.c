/* The password policy: length bounds, not the email, and cracklib's dictionary check. */
#include <stddef.h>
#include <crack.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "users/users.h"

/* cracklib keeps static state, so one check runs at a time */
static pthread_mutex_t crack_lock = PTHREAD_MUTEX_INITIALIZER;

enum err users_check_password(const char *password, const char *email, struct failure *f)
{
    size_t len = strlen(password);
    if (len < PASSWORD_MIN)
        return fail(f, ERR_VALIDATION, "password", "password must have at least %d characters", PASSWORD_MIN);
    if (len > PASSWORD_MAX)
        return fail(f, ERR_VALIDATION, "password", "password must have at most %d characters", PASSWORD_MAX);
    if (email && *email) {
        size_t local = strcspn(email, "@");
        if (strcasecmp(password, email) == 0 || (local >= 4 && strncasecmp(password, email, local) == 0 && len == local))
            return fail(f, ERR_VALIDATION, "password", "password must not be the email address");
    }
    pthread_mutex_lock(&crack_lock);
    const char *why = FascistCheck(password, GetDefaultCracklibDict());
    char reason[160] = "";
    if (why)
        strncpy(reason, why, sizeof reason - 1);
    pthread_mutex_unlock(&crack_lock);
    if (*reason)
        return fail(f, ERR_VALIDATION, "password", "password is too easy to guess: %s", reason);
    return ERR_OK;
}
