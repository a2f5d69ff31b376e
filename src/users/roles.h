/* Roles and permissions: the one table that says which role may do what. */
#ifndef PARLEY_USERS_ROLES_H
#define PARLEY_USERS_ROLES_H
#include <stdbool.h>

enum role { ROLE_CUSTOMER, ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN, ROLE__COUNT };

/* What a route requires of its caller. */
enum perm {
    PERM_PUBLIC,            /* anyone, signed in or not */
    PERM_SIGNED_IN,         /* any role */
    PERM_TICKETS_WORK,      /* see and handle every ticket, internal notes, audit trail */
    PERM_KB_WRITE,          /* write knowledge-base articles */
    PERM_TEAMS_MANAGE,      /* create teams, change members and skills */
    PERM_REPORTS,           /* read reports and metrics of others */
    PERM_USERS_MANAGE,      /* create users, change roles, deactivate */
    PERM_SETTINGS,          /* change runtime settings and configuration */
    PERM_AUDIT_READ,        /* read the security audit log */
    PERM__COUNT
};

/* The role's name ("agent"); static storage. */
const char *role_name(enum role r);
/* Parses a role name; false when it is not one. */
bool role_parse(const char *name, enum role *out);
/* True when role r holds permission p. */
bool role_has(enum role r, enum perm p);
/* True for agent, supervisor and admin. */
bool role_is_staff(enum role r);

#endif
