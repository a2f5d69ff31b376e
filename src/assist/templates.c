#include "assist/templates.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

#define DEFAULT_KEY "default"

static const char *const PLACEHOLDERS[] = {"requester.name", "agent.name", "ticket.id", "ticket.subject"};
#define NPLACEHOLDERS (sizeof PLACEHOLDERS / sizeof *PLACEHOLDERS)

json_t *assist_templates_get(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT language, greeting, closing FROM ai_templates ORDER BY language", NULL);
    if (!st)
        return NULL;
    json_t *out = json_object();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *lang = db_col_text(st, 0);
        json_object_set_new(out, *lang ? lang : DEFAULT_KEY,
                            json_pack("{s:o, s:o}", "greeting",
                                      db_col_null(st, 1) ? json_null() : json_string(db_col_text(st, 1)), "closing",
                                      db_col_null(st, 2) ? json_null() : json_string(db_col_text(st, 2))));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The placeholder index of name[0..len), or -1. */
static int placeholder(const char *name, size_t len)
{
    for (size_t i = 0; i < NPLACEHOLDERS; i++)
        if (strlen(PLACEHOLDERS[i]) == len && memcmp(PLACEHOLDERS[i], name, len) == 0)
            return (int)i;
    return -1;
}

/* True when every {{…}} in s is a known placeholder. */
static bool known_placeholders(const char *s)
{
    for (const char *p = strstr(s, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *end = strstr(p + 2, "}}");
        if (!end || placeholder(p + 2, (size_t)(end - p - 2)) < 0)
            return false;
    }
    return true;
}

static bool language_key(const char *k)
{
    size_t n = strlen(k);
    if (strcmp(k, DEFAULT_KEY) == 0)
        return true;
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 'a' || k[i] > 'z')
            return false;
    return true;
}

/* Fails naming the template's path: templates.<key> or templates.<key>.<part> (part may be NULL). */
static enum err template_fail(struct failure *f, const char *key, const char *part, const char *message)
{
    fail(f, ERR_VALIDATION, NULL, "templates.%.40s%s%s %s", key, part ? "." : "", part ? part : "", message);
    snprintf(f->field, sizeof f->field, "templates.%.40s%s%s", key, part ? "." : "", part ? part : "");
    return ERR_VALIDATION;
}

static enum err templates_check(json_t *v, struct failure *f)
{
    if (!json_is_object(v) || json_object_size(v) > ASSIST_TEMPLATES_MAX)
        return fail(f, ERR_VALIDATION, "templates",
                    "templates must be an object of at most %d languages: {\"en\": {greeting?, closing?}, \"default\": …}",
                    ASSIST_TEMPLATES_MAX);
    const char *k;
    json_t *t;
    json_object_foreach(v, k, t) {
        if (!language_key(k))
            return template_fail(f, k, NULL, "is not a language: the keys are ISO 639-1 codes such as en, or default");
        if (!json_is_object(t))
            return template_fail(f, k, NULL, "must be {greeting?, closing?}");
        for (int i = 0; i < 2; i++) {
            const char *part = i ? "closing" : "greeting";
            json_t *s = json_object_get(t, part);
            if (!s || json_is_null(s))
                continue;
            if (!json_is_string(s) || !json_string_length(s) || json_string_length(s) > ASSIST_TEMPLATE_MAX) {
                char what[64];
                snprintf(what, sizeof what, "must be a text of 1 to %d bytes or null", ASSIST_TEMPLATE_MAX);
                return template_fail(f, k, part, what);
            }
            if (!known_placeholders(json_string_value(s)))
                return template_fail(f, k, part,
                                     "has an unknown placeholder: they are {{requester.name}}, {{agent.name}},"
                                     " {{ticket.id}} and {{ticket.subject}}");
        }
    }
    return ERR_OK;
}

static int templates_store(struct db *db, json_t *v)
{
    int rc = db_run(db, "DELETE FROM ai_templates", NULL);
    const char *k;
    json_t *t;
    json_object_foreach(v, k, t) {
        if (rc >= 0)
            rc = db_run(db, "INSERT INTO ai_templates (language, greeting, closing) VALUES ($1, $2, $3)", "ttt",
                        strcmp(k, DEFAULT_KEY) == 0 ? "" : k, json_string_value(json_object_get(t, "greeting")),
                        json_string_value(json_object_get(t, "closing")));
    }
    return rc;
}

const struct assist_setting assist_templates_setting = {"templates", assist_templates_get, templates_check, false,
                                                        templates_store};

const char *assist_template_for(json_t *templates, const char *lang, const char *part)
{
    const char *s = lang && *lang ? json_string_value(json_object_get(json_object_get(templates, lang), part)) : NULL;
    return s ? s : json_string_value(json_object_get(json_object_get(templates, DEFAULT_KEY), part));
}

/* Appends line[0..len) with its placeholders filled to sb; true when a placeholder was empty. */
static bool expand_line(struct strbuf *sb, const char *line, size_t len, const char *const values[NPLACEHOLDERS])
{
    bool empty_value = false;
    const char *p = line, *end = line + len;
    while (p < end) {
        const char *open = memmem(p, (size_t)(end - p), "{{", 2);
        const char *close = open ? memmem(open + 2, (size_t)(end - open - 2), "}}", 2) : NULL;
        int k = close ? placeholder(open + 2, (size_t)(close - open - 2)) : -1;
        if (k < 0) { /* none left (the check refused unknown ones) */
            strbuf_add(sb, p, (size_t)(end - p));
            break;
        }
        strbuf_add(sb, p, (size_t)(open - p));
        if (values[k] && *values[k])
            strbuf_adds(sb, values[k]);
        else
            empty_value = true;
        p = close + 2;
    }
    return empty_value;
}

char *assist_template_expand(const char *tpl, const struct assist_template_vars *vars)
{
    if (!tpl)
        return NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)vars->ticket_id);
    const char *const values[NPLACEHOLDERS] = {vars->requester_name, vars->agent_name, id, vars->ticket_subject};
    struct strbuf out, line;
    strbuf_init(&out, 0);
    strbuf_init(&line, 0);
    bool first = true;
    for (const char *p = tpl;;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        strbuf_clear(&line);
        bool empty_value = expand_line(&line, p, len, values);
        bool blank = true;
        for (size_t i = 0; i < line.len && blank; i++)
            blank = line.data[i] == ' ' || line.data[i] == '\t' || line.data[i] == '\r';
        if (!(blank && empty_value)) { /* a line only an empty value left blank is dropped */
            if (!first)
                strbuf_addc(&out, '\n');
            if (line.len)
                strbuf_add(&out, line.data, line.len);
            first = false;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    strbuf_free(&line);
    return strbuf_take(&out, NULL);
}
