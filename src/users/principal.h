/* The signed-in caller of a request, as sessions and API keys establish it. */
#ifndef PARLEY_USERS_PRINCIPAL_H
#define PARLEY_USERS_PRINCIPAL_H
#include <stdbool.h>
#include <stdint.h>

#include "users/roles.h"

struct principal {
    int64_t user_id;
    enum role role;
    const char *email, *name;   /* request arena */
    bool two_factor;
    int64_t session_id;         /* 0 when signed in with an API key */
    int64_t api_key_id;         /* 0 when signed in with a session cookie */
    const char *csrf_token;     /* the session's; NULL for API keys */
};

#endif
