#include "api/routes.h"

#include "api/handlers.h"

const struct route api_routes[] = {
    {"GET", "/healthz", api_health, PERM_PUBLIC, 0},
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
