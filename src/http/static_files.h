/* Serving the built web UI (web/dist) at "/", with content types, caching headers and a
 * fallback to index.html for the UI's own routes. */
#ifndef PARLEY_HTTP_STATIC_FILES_H
#define PARLEY_HTTP_STATIC_FILES_H
#include <stddef.h>

#include "http/request.h"

/* Finds the web UI folder: configured (when not empty), else ./web/dist, else web/dist next to
 * the binary's build folder. Writes it into out, or "" when there is none (a placeholder page
 * is served then). */
void static_find_root(const char *configured, char *out, size_t cap);
/* Answers a GET or HEAD of r->path from root (or the placeholder when root is ""). */
enum err static_serve(struct request *r, const char *root);

#endif
