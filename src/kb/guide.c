#include "kb/guide.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/markdown.h"
#include "util/strbuf.h"

#define ID_MAX 64
#define LABEL_MAX 200

static bool valid_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

/* The index of the step called id, or -1. */
static int step_index(json_t *steps, const char *id)
{
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) {
        if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
            return (int)i;
    }
    return -1;
}

/* A string member of at most max bytes: NULL (with f filled) when it is missing but required,
 * not a string or too long; "" when it is absent and optional. */
static const char *text_member(json_t *o, const char *key, size_t max, bool required, const char *where,
                               struct failure *f)
{
    json_t *v = json_object_get(o, key);
    if (!v && !required)
        return "";
    if (!json_is_string(v) || json_string_length(v) > max || (required && json_string_length(v) == 0) ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        fail(f, ERR_VALIDATION, NULL, "%s must be a text of %s to %zu characters", key, required ? "1" : "0", max);
        snprintf(f->field, sizeof f->field, "%s.%s", where, key);
        return NULL;
    }
    return json_string_value(v);
}

/* Depth-first search for a loop from step i (colour 1: on the path, 2: done); marks reached steps. */
static bool has_loop(json_t *steps, int i, char *colour)
{
    colour[i] = 1;
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(json_array_get(steps, i), "answers"), k, a) {
        const char *next = json_string_value(json_object_get(a, "next"));
        if (!next)
            continue;
        int j = step_index(steps, next);
        if (colour[j] == 1 || (colour[j] == 0 && has_loop(steps, j, colour)))
            return true;
    }
    colour[i] = 2;
    return false;
}

/* Checks one answer and appends its normalised form to answers. */
static enum err check_answer(json_t *a, const char *where, json_t *answers, struct failure *f)
{
    if (!json_is_object(a)) {
        fail(f, ERR_VALIDATION, where, "each answer must be an object {label, next | outcome}");
        return ERR_VALIDATION;
    }
    const char *label = text_member(a, "label", LABEL_MAX, true, where, f);
    if (!label)
        return ERR_VALIDATION;
    json_t *next = json_object_get(a, "next"), *outcome = json_object_get(a, "outcome");
    if ((next != NULL) == (outcome != NULL) || (next && !json_is_string(next)) ||
        (outcome && (!json_is_string(outcome) || (strcmp(json_string_value(outcome), "solved") != 0 &&
                                                  strcmp(json_string_value(outcome), "ticket") != 0)))) {
        fail(f, ERR_VALIDATION, where, "an answer needs either next (a step id) or outcome (solved or ticket)");
        return ERR_VALIDATION;
    }
    json_array_append_new(answers, json_pack("{s:s, s:O}", "label", label, next ? "next" : "outcome", next ? next : outcome));
    return ERR_OK;
}

enum err kb_guide_check(json_t *guide, json_t **out, struct failure *f)
{
    json_t *in = json_object_get(guide, "steps"), *steps = json_array();
    char *colour = NULL;
    char where[40];
    enum err e = ERR_VALIDATION;
    *out = NULL;
    if (!json_is_object(guide) || !json_is_array(in) || json_array_size(in) == 0 ||
        json_array_size(in) > KB_GUIDE_STEPS_MAX) {
        fail(f, ERR_VALIDATION, "guide.steps", "a guide needs steps: a list of 1 to %d steps", KB_GUIDE_STEPS_MAX);
        goto done;
    }
    size_t i;
    json_t *s;
    json_array_foreach(in, i, s) {
        snprintf(where, sizeof where, "guide.steps[%zu]", i);
        if (!json_is_object(s)) {
            fail(f, ERR_VALIDATION, where, "each step must be an object {id, title?, body_markdown, answers}");
            goto done;
        }
        const char *id = json_string_value(json_object_get(s, "id"));
        if (!valid_id(id) || step_index(steps, id) >= 0) {
            fail(f, ERR_VALIDATION, NULL, "each step needs its own id of 1 to %d letters, digits, - or _", ID_MAX);
            snprintf(f->field, sizeof f->field, "%s.id", where);
            goto done;
        }
        const char *title = text_member(s, "title", LABEL_MAX, false, where, f);
        const char *body = title ? text_member(s, "body_markdown", KB_GUIDE_BODY_MAX, true, where, f) : NULL;
        json_t *answers_in = json_object_get(s, "answers");
        if (!body)
            goto done;
        if (!json_is_array(answers_in) || json_array_size(answers_in) == 0 ||
            json_array_size(answers_in) > KB_GUIDE_ANSWERS_MAX) {
            fail(f, ERR_VALIDATION, NULL, "a step needs 1 to %d answers", KB_GUIDE_ANSWERS_MAX);
            snprintf(f->field, sizeof f->field, "%s.answers", where);
            goto done;
        }
        json_t *answers = json_array();
        json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "title", title, "body_markdown", body,
                                               "answers", answers));
        size_t k;
        json_t *a;
        json_array_foreach(answers_in, k, a) {
            char at[80];
            snprintf(at, sizeof at, "%s.answers[%zu]", where, k);
            if (check_answer(a, at, answers, f))
                goto done;
        }
    }
    /* every next names a step; then no loops and nothing unreachable */
    json_array_foreach(steps, i, s) {
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(s, "answers"), k, a) {
            const char *next = json_string_value(json_object_get(a, "next"));
            if (next && step_index(steps, next) < 0) {
                fail(f, ERR_VALIDATION, NULL, "next names no step of this guide: %.64s", next);
                snprintf(f->field, sizeof f->field, "guide.steps[%zu].answers[%zu].next", i, k);
                goto done;
            }
        }
    }
    colour = calloc(json_array_size(steps), 1);
    if (!colour)
        abort();
    if (has_loop(steps, 0, colour)) {
        fail(f, ERR_VALIDATION, "guide.steps", "a guide is a tree: no answer may lead back to an earlier step");
        goto done;
    }
    for (i = 0; i < json_array_size(steps); i++) {
        if (!colour[i]) {
            fail(f, ERR_VALIDATION, NULL, "no answer leads to this step");
            snprintf(f->field, sizeof f->field, "guide.steps[%zu]", i);
            goto done;
        }
    }
    *out = json_pack("{s:O}", "steps", steps);
    e = ERR_OK;
done:
    free(colour);
    json_decref(steps);
    return e;
}

/* A copy of step s with body_html. */
static json_t *render_step(json_t *s)
{
    json_t *r = json_deep_copy(s);
    char *html = markdown_to_html(json_string_value(json_object_get(s, "body_markdown")));
    json_object_set_new(r, "body_html", json_string(html));
    free(html);
    return r;
}

json_t *kb_guide_render(json_t *guide)
{
    json_t *steps = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(guide, "steps"), i, s) json_array_append_new(steps, render_step(s));
    return json_pack("{s:o}", "steps", steps);
}

char *kb_guide_text(json_t *guide)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(guide, "steps"), i, s) {
        char *body = markdown_to_text(json_string_value(json_object_get(s, "body_markdown")));
        strbuf_addf(&sb, "%s\n%s", json_string_value(json_object_get(s, "title")), body);
        free(body);
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(s, "answers"), k, a)
            strbuf_addf(&sb, "%s\n", json_string_value(json_object_get(a, "label")));
    }
    return strbuf_take(&sb, NULL);
}

enum err kb_guide_walk(json_t *guide, const char *path, json_t **out, struct failure *f)
{
    json_t *steps = json_object_get(guide, "steps"), *taken = json_array();
    json_t *step = json_array_get(steps, 0);
    const char *outcome = NULL;
    const char *p = path ? path : "";
    *out = NULL;
    while (*p) {
        char *end;
        long n = strtol(p, &end, 10);
        json_t *a = json_array_get(json_object_get(step, "answers"), (size_t)n);
        if (!step || end == p || n < 0 || !a || (*end && (*end != ',' || !end[1]))) {
            json_decref(taken);
            return fail(f, ERR_VALIDATION, "path",
                        "path must be a comma-separated list of answer numbers of the steps walked");
        }
        json_array_append_new(taken, json_pack("{s:O, s:O, s:O}", "step", json_object_get(step, "id"), "title",
                                               json_object_get(step, "title"), "answer", json_object_get(a, "label")));
        const char *next = json_string_value(json_object_get(a, "next"));
        step = next ? json_array_get(steps, (size_t)step_index(steps, next)) : NULL;
        outcome = next ? NULL : json_string_value(json_object_get(a, "outcome"));
        p = *end ? end + 1 : end;
    }
    *out = json_pack("{s:o, s:o, s:o}", "step", step ? render_step(step) : json_null(), "path", taken, "outcome",
                     outcome ? json_string(outcome) : json_null());
    return ERR_OK;
}
