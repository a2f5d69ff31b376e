/* classifier: an ensemble of three linear models (a multinomial logistic
 * regression, one-vs-rest SVMs and multinomial naive Bayes, their calibrated
 * probabilities averaged)
 * over hashed word and character n-grams (see features.h), with
 * a calibrated confidence, an abstain ("needs a person") decision,
 * explanations, online updates from corrections and a versioned binary format.
 *
 * Threads: a clf_model is read-only for clf_predict(), so any number of
 * threads may predict at once, each with its own clf_ctx. clf_update()
 * writes to the model: the caller must keep predictions away meanwhile
 * (e.g. a rwlock, or update a copy loaded from clf_save()'s bytes). */
#ifndef PARLEY_AI_CLASSIFIER_H
#define PARLEY_AI_CLASSIFIER_H

#include "ai/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum clf_err {
    CLF_OK = 0,
    CLF_ENOMEM,
    CLF_EINVAL,   /* bad arguments: no examples, fewer than two labels... */
    CLF_ELANG,    /* no stemmer for the language */
    CLF_ELABEL,   /* clf_update() with a label the model does not know */
    CLF_EFORMAT,  /* clf_load(): not a model, truncated or corrupt */
    CLF_EVERSION, /* clf_load(): a model format this build does not read */
};

/* The label that marks out-of-scope training examples. */
#define CLF_OOS_LABEL "oos"
/* How many words an explanation gives at most. */
#define CLF_MAX_WHY 5

typedef struct clf_model clf_model;
typedef struct clf_ctx clf_ctx;

typedef struct {
    const char *text;
    const char *label;
} clf_example;

typedef struct {
    const char *lang;  /* stemming language (ISO 639-1 or Snowball name), "" for none */
    unsigned epochs;   /* logreg: passes of SGD over the data */
    float rate;        /* logreg: initial SGD learning rate (decays linearly) */
    float l2;          /* logreg: L2 regularisation per example */
    unsigned folds;    /* cross-validation folds used to calibrate; < 2 disables */
    unsigned threads;  /* worker threads for the folds */
    uint64_t seed;     /* shuffling seed: training is deterministic given it */
    float svm_c;       /* SVM: cost of a margin violation (liblinear's C) */
    unsigned svm_iter; /* SVM: most passes of coordinate descent per class */
    float nb_alpha;    /* naive Bayes: additive smoothing of each feature's tf-idf mass */
} clf_params;

typedef struct {
    char word[TEXT_MAX_TOKEN + 1]; /* a word of the input, lower-cased */
    float weight;                  /* its contribution to the label's score */
} clf_reason;

typedef struct {
    const char *label;  /* best in-scope label (owned by the model), even when abstaining */
    int label_index;
    float confidence;   /* calibrated probability that label is right, 0..1 */
    bool abstain;       /* true: out of scope or not confident: needs a person */
    size_t nwhy;
    clf_reason why[CLF_MAX_WHY]; /* strongest words for label, best first */
} clf_prediction;

/* Fills *p with the defaults (English, 3 folds, 2 threads; logreg: 8 epochs,
 * rate 3, L2 5e-6; SVM: C 3, at most 6 passes; naive Bayes: smoothing 0.003). */
void clf_params_default(clf_params *p);

/* Trains a model on ex[0..n) and calibrates its confidence and abstain
 * threshold by cross-validation on the same examples (label "oos" marks
 * out-of-scope ones, which it learns to abstain on). On CLF_OK *out is a new
 * model the caller owns (clf_free()). */
int clf_train(const clf_example *ex, size_t n, const clf_params *p, clf_model **out);

/* Frees a model (NULL is fine). */
void clf_free(clf_model *m);

/* Makes a per-thread working context for m (tokenizer, buffers); the caller
 * owns it (clf_ctx_free()); it may be used with m only. NULL if out of memory. */
clf_ctx *clf_ctx_new(const clf_model *m);

/* Frees a context (NULL is fine). */
void clf_ctx_free(clf_ctx *c);

/* Classifies text[0..len) into *out. Returns CLF_OK or CLF_ENOMEM. */
int clf_predict(const clf_model *m, clf_ctx *c, const char *text, size_t len,
                clf_prediction *out);

/* Learns from one corrected example (text should have had `label`), moving
 * the model until it predicts it; the label must be one the model knows. */
int clf_update(clf_model *m, clf_ctx *c, const char *text, size_t len, const char *label);

/* The abstain threshold on confidence chosen by training. */
float clf_threshold(const clf_model *m);

/* Replaces the abstain threshold (0 never abstains unless "oos" wins). */
void clf_set_threshold(clf_model *m, float t);

/* Number of in-model labels and the i-th one (owned by the model). */
size_t clf_nlabels(const clf_model *m);
const char *clf_label(const clf_model *m, size_t i);

/* Serialises m into a new buffer *buf of *len bytes that the caller frees. */
int clf_save(const clf_model *m, unsigned char **buf, size_t *len);

/* Reads a model written by clf_save(); on CLF_OK *out is owned by the caller.
 * Errors: CLF_EFORMAT (not a model, truncated, corrupt, repeated labels or
 * numbers out of range), CLF_EVERSION (a format this build does not read),
 * CLF_ELANG (no stemmer for the model's language), CLF_ENOMEM. */
int clf_load(const unsigned char *buf, size_t len, clf_model **out);

#endif
