/* assist: the AI engine of a running Parley — the classifiers (category, priority, sentiment)
 * loaded from the database, the language detector, and the tables around them (ai_models,
 * ai_examples, ai_decisions, ai_feedback, ai_interventions, ai_category_teams, ai_tone_words,
 * ai_llm, ai_first_response); suggested replies are assist/reply.h, the LLM assist/llm.h, the
 * first response assist/first_response.h, automated resolution assist/autoresolve.h.
 * The text work itself is src/ai/ (pure); this module owns the SQL and the locking.
 *
 * Threads: every function may be called from any thread. A model is read under a rwlock
 * (predictions share it; an online update or a reload takes it exclusively). */
#ifndef PARLEY_ASSIST_ASSIST_H
#define PARLEY_ASSIST_ASSIST_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ai/classifier.h"
#include "store/db.h"
#include "util/error.h"

enum assist_kind { ASSIST_CATEGORY, ASSIST_PRIORITY, ASSIST_SENTIMENT, ASSIST__KINDS };

#define ASSIST_LABEL_MAX 63       /* bytes of a label */
#define ASSIST_TEXT_MAX 2048      /* bytes of a ticket's text that are classified and kept as an example */
#define ASSIST_TRAIN_MAX 200000   /* newest examples a training run reads */

struct assist;
struct assist_solved;
struct bus;

/* One classifier's answer, copied out of the model. */
struct assist_pred {
    bool has_model;             /* false: no model of this kind yet (nothing else is set) */
    char label[ASSIST_LABEL_MAX + 1];
    float confidence;
    bool abstain;               /* needs a person */
    size_t nwhy;
    clf_reason why[CLF_MAX_WHY];
    int64_t version;            /* of the model */
};

/* The name of a kind ("category"); static. */
const char *assist_kind_name(enum assist_kind k);
/* Parses a kind name; false when it is not one. */
bool assist_kind_parse(const char *name, enum assist_kind *out);

/* Makes the engine: the language detector (Debian's fingerprints) and the newest model of each
 * kind in db (none is fine). NULL with the reason in err when the detector cannot be loaded.
 * The caller owns it: assist_close. */
struct assist *assist_open(struct db *db, char *err, size_t errlen);
/* Frees the engine (NULL is fine). */
void assist_close(struct assist *a);
/* Loads the models whose newest version in db is newer than the one in memory. */
void assist_reload(struct assist *a, struct db *db);
/* The periodic job: reload, language of new messages, human overrides of AI decisions (which
 * update the models online), automated answers that were replied to or timed out (their changes
 * published on bus), the index of solved tickets, and a retrain when enough new labels arrived.
 * Errors are logged. */
void assist_tick(struct assist *a, struct db *db, struct bus *bus);

/* The index of past solved tickets (assist/solved.h), owned by the engine. */
struct assist_solved *assist_solved_index(struct assist *a);
/* The ISO 639-1 code of text[0..len) into out ("" when it cannot be told). */
void assist_language(struct assist *a, const char *text, size_t len, char out[4]);
/* Classifies text with the model of kind k into *out. */
void assist_predict(struct assist *a, enum assist_kind k, const char *text, size_t len, struct assist_pred *out);
/* Teaches the model of kind k that text has label (when it has a model that knows the label). */
void assist_learn(struct assist *a, enum assist_kind k, const char *text, size_t len, const char *label);

/* What the classifiers read of a ticket: subject, a line break and the body, cut at
 * ASSIST_TEXT_MAX bytes on a character boundary; the caller frees it. */
char *assist_ticket_text(const char *subject, const char *body);

/* Replaces the examples of kind k that came from a CSV by n rows of (text, label) in
 * pairs[0..2n), in one transaction. */
enum err assist_examples_replace_csv(struct db *db, enum assist_kind k, char *const *pairs, size_t n,
                                     struct failure *f);
/* Trains a model of kind k on its stored examples and saves it as the next version; *out (may be
 * NULL) gets {kind, version, examples, labels, threshold, train_seconds}. */
enum err assist_train(struct db *db, enum assist_kind k, json_t **out, struct failure *f);
/* The newest model of each kind as [{kind, version, examples, created_at, metrics}]. */
json_t *assist_models_list(struct db *db);

#endif
