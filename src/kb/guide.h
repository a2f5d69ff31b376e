/* Troubleshooting guides: a tree of steps, each with a Markdown body and answers that lead to
 * another step, to "solved" or to "ticket" (open the ticket form with the path taken). Pure
 * functions over the guide's JSON:
 *   {"steps": [{"id": "start", "title"?: "…", "body_markdown": "…",
 *               "answers": [{"label": "Yes", "next": "other-step"}, {"label": "No", "outcome": "ticket"}]}]}
 * The first step is where a walk starts. */
#ifndef PARLEY_KB_GUIDE_H
#define PARLEY_KB_GUIDE_H
#include <jansson.h>

#include "util/error.h"

#define KB_GUIDE_STEPS_MAX 100
#define KB_GUIDE_ANSWERS_MAX 10
#define KB_GUIDE_BODY_MAX 20000

/* Checks a guide (every step reachable from the first, no loops, every `next` an existing step)
 * and returns its normalised copy (only the known members) in *out (caller owns). On a problem
 * ERR_VALIDATION with the field path (guide.steps[2].answers[0].next) in f. */
enum err kb_guide_check(json_t *guide, json_t **out, struct failure *f);
/* A copy of a checked guide with each step's body_html (safe HTML) beside its Markdown. */
json_t *kb_guide_render(json_t *guide);
/* The plain text of every step's title, body and answers, for search (caller frees). */
char *kb_guide_text(json_t *guide);
/* Walks a checked guide along path, a comma-separated list of answer numbers (0-based; "" or
 * NULL: the start) → {step: the rendered step reached or null, path: [{step, title, answer}],
 * outcome: null | "solved" | "ticket"} (caller owns). ERR_VALIDATION naming "path" when an
 * answer does not exist or the walk already ended. */
enum err kb_guide_walk(json_t *guide, const char *path, json_t **out, struct failure *f);

#endif
