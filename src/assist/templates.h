/* The admin's response templates for the offline composer: per language (or "default" for the
 * others) a greeting and a closing with placeholders {{requester.name}}, {{agent.name}},
 * {{ticket.id}} and {{ticket.subject}}. Table ai_templates (migration 011). */
#ifndef PARLEY_ASSIST_TEMPLATES_H
#define PARLEY_ASSIST_TEMPLATES_H
#include <jansson.h>
#include <stdint.h>

#include "assist/config.h"
#include "store/db.h"
#include "util/error.h"

#define ASSIST_TEMPLATE_MAX 500     /* bytes of a greeting or closing */
#define ASSIST_TEMPLATES_MAX 50     /* languages */

/* What fills a template's placeholders (NULL: empty). */
struct assist_template_vars {
    const char *requester_name, *agent_name, *ticket_subject;
    int64_t ticket_id;
};

/* {language or "default": {greeting, closing}} (members null when not set); NULL on a database
 * error. The caller owns it. */
json_t *assist_templates_get(struct db *db);
/* The admin's `templates` settings (get: assist_templates_get); a PUT replaces them all; errors
 * name `templates`. */
extern const struct assist_setting assist_templates_setting;
/* The template `part` ("greeting" or "closing") for language lang from templates (as
 * assist_templates_get gives them): lang's own, else the default's; NULL when neither has one. */
const char *assist_template_for(json_t *templates, const char *lang, const char *part);
/* tpl with its placeholders filled from vars; a line that only an empty value left blank is
 * dropped. NULL when tpl is NULL. Pure; the caller frees the result. */
char *assist_template_expand(const char *tpl, const struct assist_template_vars *vars);

#endif
