/* Macro placeholders: {{ticket.number}}, {{requester.name}}, {{agent.name}}, … in a Markdown
 * body, checked when a macro is saved and filled in when it is applied to a ticket. */
#ifndef PARLEY_MACROS_RENDER_H
#define PARLEY_MACROS_RENDER_H
#include <jansson.h>

#include "users/principal.h"
#include "util/error.h"

/* ERR_VALIDATION naming `field` when body has a {{…}} that is not a known placeholder or is
 * not closed; ERR_OK otherwise. */
enum err macro_body_check(const char *body, const char *field, struct failure *f);
/* The body with every placeholder replaced from ticket (the staff view of tickets_get) and the
 * agent me; a value that is missing becomes the empty text. Caller frees. */
char *macro_render(const char *body, json_t *ticket, const struct principal *me);
/* The known placeholder names as a JSON array of texts (new reference). */
json_t *macro_placeholders(void);

#endif
