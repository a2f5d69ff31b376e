#include "users/roles.h"

#include <string.h>

static const char *const names[ROLE__COUNT] = {"customer", "agent", "supervisor", "admin"};

#define BIT(p) (1u << (p))
#define COMMON (BIT(PERM_PUBLIC) | BIT(PERM_SIGNED_IN))
#define AGENT (COMMON | BIT(PERM_TICKETS_WORK) | BIT(PERM_KB_WRITE))
#define SUPERVISOR (AGENT | BIT(PERM_TEAMS_MANAGE) | BIT(PERM_REPORTS))
#define ADMIN (SUPERVISOR | BIT(PERM_USERS_MANAGE) | BIT(PERM_SETTINGS) | BIT(PERM_AUDIT_READ))

static const unsigned grants[ROLE__COUNT] = {
    [ROLE_CUSTOMER] = COMMON,
    [ROLE_AGENT] = AGENT,
    [ROLE_SUPERVISOR] = SUPERVISOR,
    [ROLE_ADMIN] = ADMIN,
};

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE__COUNT ? names[r] : "customer";
}

bool role_parse(const char *name, enum role *out)
{
    for (int i = 0; name && i < ROLE__COUNT; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum role)i;
            return true;
        }
    }
    return false;
}

bool role_has(enum role r, enum perm p)
{
    return (unsigned)r < ROLE__COUNT && (unsigned)p < PERM__COUNT && (grants[r] & BIT(p));
}

bool role_is_staff(enum role r)
{
    return r != ROLE_CUSTOMER;
}
