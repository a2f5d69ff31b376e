/* clf_internal: the classifier's model layout, shared by classifier.c
 * (prediction, updates), clf_train.c and clf_io.c. Not for other modules. */
#ifndef PARLEY_AI_CLF_INTERNAL_H
#define PARLEY_AI_CLF_INTERNAL_H

#include "ai/classifier.h"
#include "ai/features.h"

#include <stdint.h>

#define CLF_NO_FEATURE UINT32_MAX

/* The members of the ensemble, each a linear model over the same features;
 * a prediction averages their calibrated probabilities. */
enum { CLF_MEM_LOGREG = 0, CLF_MEM_SVM = 1, CLF_MEM_NB = 2, CLF_MEMBERS = 3 };

struct clf_model {
    char lang[16];
    uint32_t nlabels;
    char **labels;    /* nlabels strings */
    int32_t oos;      /* index of the "oos" label, -1 if none */
    uint32_t nfeat, featcap;
    uint64_t *keys;   /* vocabulary: open addressing, tcap slots, 0 = empty */
    uint32_t *slots;  /* feature index of keys[i] */
    uint32_t tcap;    /* power of two, > 2 * nfeat */
    float *idf;       /* [featcap] */
    uint32_t nmem;    /* members: CLF_MEMBERS; fewer in models of older format versions */
    float *w[CLF_MEMBERS];    /* [featcap * nlabels] each, row per feature */
    float *bias[CLF_MEMBERS]; /* [nlabels] each */
    float temp[CLF_MEMBERS];  /* each member's softmax temperature from calibration */
    float threshold;  /* abstain below this confidence */
    float idf_new;    /* idf of features unseen in training (also in a text's norm) */
};

/* A feature of a vectorised text: model feature index and tf-idf value. */
typedef struct {
    uint32_t idx;
    float val;
} clf_x;

/* An empty model of nmem members for the given labels (copied) and vocabulary size hint. */
clf_model *clf_model_new(const char *lang, char *const *labels, uint32_t nlabels,
                         uint32_t feat_hint, uint32_t nmem);

/* qsort/bsearch comparison of two char * by strcmp (label arrays). */
int clf_cmp_str(const void *a, const void *b);

/* The feature index of hash id, or CLF_NO_FEATURE. */
uint32_t clf_vocab_find(const clf_model *m, uint64_t id);

/* The feature index of id, adding it (zero weights, given idf) if new;
 * CLF_NO_FEATURE if out of memory. */
uint32_t clf_vocab_add(clf_model *m, uint64_t id, float idf);

/* Writes the L2-normalised tf-idf vector of fs into x (room for fs->n) and,
 * when tok is not NULL, each entry's token into tok; returns the length.
 * Features the model does not know are dropped from x but count in the norm
 * (at idf_new), as held-out examples' unseen features do in calibration. */
size_t clf_vectorise(const clf_model *m, const feat_set *fs, clf_x *x, uint32_t *tok);

/* Raw scores (logits) of x[0..n) for every label into s[nlabels], with weights w and bias b. */
void clf_scores(const float *w, const float *b, uint32_t nlabels, const clf_x *x, size_t n, float *s);

/* Turns logits s[0..k) into probabilities at temperature t, in place; returns the argmax. */
uint32_t clf_softmax(float *s, uint32_t k, float t);

/* Averages the probabilities of the members' logits s[0..nmem) (each [nlabels],
 * overwritten by its probabilities at temp[k]) into p; returns the argmax. */
uint32_t clf_mix(float *const *s, const float *temp, uint32_t nmem, uint32_t nlabels, float *p);

/* Held-out outcome of one training example (cross-validation). */
typedef struct {
    float conf;   /* probability of the best in-scope label */
    bool oos;     /* the example is out of scope */
    bool oos_won; /* the oos label had the highest probability */
    bool right;   /* the best in-scope label is the true one */
} clf_outcome;

/* The abstain threshold from the held-out outcomes o[0..n) (sorted in place
 * by confidence): with enough out-of-scope examples, the lowest that abstains
 * on a target share of them (see clf_threshold.c); otherwise Chow's rule, the
 * one that maximises right - wrong answers (abstaining scores 0, letting an
 * out-of-scope example through is wrong). */
float clf_choose_threshold(clf_outcome *o, uint32_t n);

#endif
