/* clf_train: trains the classifier's three members (SGD on the softmax loss
 * with L2; one-vs-rest squared-hinge SVMs by dual coordinate descent;
 * multinomial naive Bayes over the tf-idf vectors) and
 * calibrates them by stratified k-fold cross-validation: each member's
 * held-out scores give its softmax temperature (least log-loss), their
 * averaged probabilities the abstain threshold (clf_threshold.c). The folds
 * and the final models are independent jobs run on worker threads. */
#include "ai/clf_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Gradients smaller than this are skipped (they are also below float noise in the weights). */
#define GRAD_EPS 1e-4f
/* Stopping tolerance of the SVM's dual coordinate descent (liblinear's default). */
#define SVM_EPS 0.1f
/* The training set as vectors. */
typedef struct {
    uint32_t n, nlabels, nfeat;
    uint32_t *label; /* [n] */
    int8_t *fold;    /* [n] */
    size_t *off;     /* [n + 1] into x */
    clf_x *x;
} dataset;

typedef struct {
    const dataset *d;
    const clf_params *p;
    unsigned member; /* CLF_MEM_LOGREG, CLF_MEM_SVM or CLF_MEM_NB */
    int fold;        /* the held-out fold, -1 for the final model on everything */
    float *w, *b;    /* the job's weights */
    float *heldout;  /* [n * nlabels] shared; a fold writes its own rows */
    int rc;
} job;

typedef struct {
    job *jobs;
    size_t njobs, next;
    pthread_mutex_t lock;
} queue;

void clf_params_default(clf_params *p)
{
    *p = (clf_params){
        .lang = "en", .epochs = 8, .rate = 3.0f, .l2 = 5e-6f,
        .folds = 3, .threads = 2, .seed = 42, .svm_c = 3.0f, .svm_iter = 6,
        .nb_alpha = 0.003f,
    };
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void shuffle(uint32_t *a, size_t n, uint64_t *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rng_next(rng) % i;
        uint32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* SGD over the examples not in fold j->fold; weights are kept as scale * v
 * so that the L2 shrinkage of a step costs O(1). */
static int sgd(job *j)
{
    const dataset *d = j->d;
    const uint32_t C = d->nlabels;
    uint32_t *order = malloc(d->n * sizeof *order);
    float *s = malloc(C * sizeof *s);
    uint32_t *act = malloc(C * sizeof *act);
    size_t m = 0, t = 0, total;
    uint64_t rng = j->p->seed + (uint64_t)(j->fold + 1);
    float scale = 1;
    int rc = CLF_ENOMEM;
    if (!order || !s || !act)
        goto done;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->fold[i] != j->fold)
            order[m++] = i; /* fold -1 matches no example */
    total = (size_t)j->p->epochs * m;
    for (unsigned e = 0; e < j->p->epochs; e++) {
        shuffle(order, m, &rng);
        for (size_t k = 0; k < m; k++, t++) {
            const uint32_t i = order[k];
            const clf_x *x = d->x + d->off[i];
            const size_t n = d->off[i + 1] - d->off[i];
            float lr = j->p->rate * (1.0f - (float)t / (float)total);
            clf_scores(j->w, j->b, C, x, n, s);
            for (uint32_t c = 0; c < C; c++)
                s[c] = j->b[c] + (s[c] - j->b[c]) * scale;
            clf_softmax(s, C, 1);
            s[d->label[i]] -= 1;
            scale *= 1 - lr * j->p->l2;
            /* most gradients are ~0 once the data is fitted: update the rest */
            uint32_t nact = 0;
            for (uint32_t c = 0; c < C; c++) {
                if (fabsf(s[c]) < GRAD_EPS)
                    continue;
                j->b[c] -= lr * s[c];
                act[nact] = c;
                s[nact++] = s[c];
            }
            for (size_t f = 0; f < n; f++) {
                float *row = j->w + (size_t)x[f].idx * C, g = lr * x[f].val / scale;
                for (uint32_t a = 0; a < nact; a++)
                    row[act[a]] -= g * s[a];
            }
            if (scale < 1e-3f) {
                for (size_t q = 0; q < (size_t)d->nfeat * C; q++)
                    j->w[q] *= scale;
                scale = 1;
            }
        }
    }
    for (size_t q = 0; q < (size_t)d->nfeat * C; q++)
        j->w[q] *= scale;
    rc = CLF_OK;
done:
    free(order);
    free(s);
    free(act);
    return rc;
}


/* One-vs-rest squared-hinge linear SVMs of every class over the examples
 * not in fold j->fold, into j->w / j->b, by dual coordinate descent (Hsieh
 * et al. 2008; liblinear's L2R_L2LOSS_SVC_DUAL). The classes' problems are
 * independent, so an example's coordinates are updated for all of them at
 * once: its margins come from one row per feature, like the softmax model's
 * scores. The bias is a constant feature of value 1 (regularised too, as in
 * liblinear). Stops when every class's projected gradients span at most
 * SVM_EPS, or after p->svm_iter passes. */
static int svm(job *j)
{
    const dataset *d = j->d;
    const uint32_t C = d->nlabels;
    const float diag = 0.5f / j->p->svm_c;
    uint32_t *ex = malloc(d->n * sizeof *ex), *act = malloc(C * sizeof *act), m = 0;
    float *alpha = calloc((size_t)d->n * C, sizeof *alpha), *s = malloc(C * sizeof *s);
    float *step = malloc(C * sizeof *step), *pgmax = malloc(C * sizeof *pgmax);
    float *pgmin = malloc(C * sizeof *pgmin);
    uint64_t rng = j->p->seed + (uint64_t)(j->fold + 1);
    int rc = CLF_ENOMEM;
    if (!ex || !act || !alpha || !s || !step || !pgmax || !pgmin)
        goto done;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->fold[i] != j->fold)
            ex[m++] = i; /* fold -1 matches no example */
    for (unsigned it = 0; it < j->p->svm_iter; it++) {
        float span = 0;
        for (uint32_t c = 0; c < C; c++) {
            pgmax[c] = -INFINITY;
            pgmin[c] = INFINITY;
        }
        shuffle(ex, m, &rng);
        for (uint32_t k = 0; k < m; k++) {
            const uint32_t i = ex[k];
            const clf_x *x = d->x + d->off[i];
            const size_t n = d->off[i + 1] - d->off[i];
            float qd = 1 + diag, *a = alpha + (size_t)i * C;
            uint32_t nact = 0;
            for (size_t f = 0; f < n; f++)
                qd += x[f].val * x[f].val;
            clf_scores(j->w, j->b, C, x, n, s);
            for (uint32_t c = 0; c < C; c++) {
                const float y = d->label[i] == c ? 1.0f : -1.0f;
                const float g = y * s[c] - 1 + a[c] * diag, pg = a[c] > 0 ? g : fminf(g, 0);
                pgmax[c] = fmaxf(pg, pgmax[c]);
                pgmin[c] = fminf(pg, pgmin[c]);
                if (fabsf(pg) > 1e-12f) {
                    const float old = a[c];
                    a[c] = fmaxf(old - g / qd, 0);
                    act[nact] = c;
                    step[nact++] = (a[c] - old) * y;
                }
            }
            for (uint32_t q = 0; q < nact; q++)
                j->b[act[q]] += step[q];
            for (size_t f = 0; f < n; f++) {
                float *row = j->w + (size_t)x[f].idx * C;
                for (uint32_t q = 0; q < nact; q++)
                    row[act[q]] += step[q] * x[f].val;
            }
        }
        for (uint32_t c = 0; c < C; c++)
            span = fmaxf(span, pgmax[c] - pgmin[c]);
        if (span <= SVM_EPS)
            break;
    }
    rc = CLF_OK;
done:
    free(ex);
    free(act);
    free(alpha);
    free(s);
    free(step);
    free(pgmax);
    free(pgmin);
    return rc;
}

/* Multinomial naive Bayes over the examples not in fold j->fold, with the
 * tf-idf values as counts: weight log((alpha + mass of f in c) / (alpha *
 * nfeat + mass of c)), then each feature's row centred on its mean over the
 * classes (the same shift for every class: probabilities are unchanged, and a
 * weight says how much more the feature belongs to c than to the others, as
 * the explanations read it). Uniform prior: no bias. */
static int nb(job *j)
{
    const dataset *d = j->d;
    const uint32_t C = d->nlabels;
    const float alpha = j->p->nb_alpha;
    double *mass = calloc(C, sizeof *mass);
    if (!mass)
        return CLF_ENOMEM;
    for (uint32_t i = 0; i < d->n; i++) {
        if (d->fold[i] == j->fold)
            continue;
        for (size_t k = d->off[i]; k < d->off[i + 1]; k++)
            j->w[(size_t)d->x[k].idx * C + d->label[i]] += d->x[k].val;
        for (size_t k = d->off[i]; k < d->off[i + 1]; k++)
            mass[d->label[i]] += d->x[k].val;
    }
    for (uint32_t c = 0; c < C; c++)
        mass[c] = log(alpha * d->nfeat + mass[c]);
    for (uint32_t f = 0; f < d->nfeat; f++) {
        float *row = j->w + (size_t)f * C, mean = 0;
        for (uint32_t c = 0; c < C; c++)
            mean += (row[c] = logf(alpha + row[c]) - (float)mass[c]) / (float)C;
        for (uint32_t c = 0; c < C; c++)
            row[c] -= mean;
    }
    free(mass);
    return CLF_OK;
}

static void run_job(job *j)
{
    const dataset *d = j->d;
    j->w = calloc((size_t)d->nfeat * d->nlabels, sizeof *j->w);
    j->b = calloc(d->nlabels, sizeof *j->b);
    if (!j->w || !j->b) {
        j->rc = CLF_ENOMEM;
        return;
    }
    j->rc = j->member == CLF_MEM_SVM ? svm(j) : j->member == CLF_MEM_NB ? nb(j) : sgd(j);
    if (j->rc != CLF_OK || j->fold < 0)
        return;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->fold[i] == j->fold)
            clf_scores(j->w, j->b, d->nlabels, d->x + d->off[i], d->off[i + 1] - d->off[i],
                       j->heldout + (size_t)i * d->nlabels);
    free(j->w);
    free(j->b);
    j->w = j->b = NULL;
}

static void *worker(void *arg)
{
    queue *q = arg;
    for (;;) {
        job *j = NULL;
        pthread_mutex_lock(&q->lock);
        if (q->next < q->njobs)
            j = &q->jobs[q->next++];
        pthread_mutex_unlock(&q->lock);
        if (!j)
            return NULL;
        run_job(j);
    }
}

/* The sorted distinct labels of ex (pointers into ex) in *out, count returned; 0 if out of memory. */
static uint32_t collect_labels(const clf_example *ex, size_t n, char ***out)
{
    char **l = malloc(n * sizeof *l);
    uint32_t k = 0;
    if (!l)
        return 0;
    for (size_t i = 0; i < n; i++)
        l[i] = (char *)ex[i].label;
    qsort(l, n, sizeof *l, clf_cmp_str);
    for (size_t i = 0; i < n; i++)
        if (!k || strcmp(l[k - 1], l[i]))
            l[k++] = l[i];
    *out = l;
    return k;
}

/* Extracts every example's features into the model's vocabulary, sets idf,
 * and vectorises the set into *d. */
static int build_dataset(clf_model *m, const clf_example *ex, size_t n, dataset *d)
{
    text_tokenizer *tok = text_tokenizer_new(m->lang, NULL);
    feat_set fs = { 0 };
    uint32_t *df = NULL;
    size_t dfcap = 0, total = 0;
    feat **fe = calloc(n, sizeof *fe);
    uint32_t *nf = calloc(n, sizeof *nf);
    int rc = CLF_ENOMEM;
    if (!tok || !fe || !nf)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (feat_extract(tok, ex[i].text, strlen(ex[i].text), &fs) != TEXT_OK)
            goto done;
        nf[i] = (uint32_t)fs.n;
        total += fs.n;
        if (!(fe[i] = malloc((fs.n + 1) * sizeof **fe)))
            goto done;
        memcpy(fe[i], fs.f, fs.n * sizeof **fe);
        for (size_t k = 0; k < fs.n; k++) {
            uint32_t idx = clf_vocab_add(m, fs.f[k].id, 0);
            if (idx == CLF_NO_FEATURE)
                goto done;
            if (idx >= dfcap) {
                size_t cap = dfcap ? dfcap * 2 : 4096;
                uint32_t *nd = realloc(df, cap * sizeof *nd);
                if (!nd)
                    goto done;
                memset(nd + dfcap, 0, (cap - dfcap) * sizeof *nd);
                df = nd;
                dfcap = cap;
            }
            df[idx]++;
        }
    }
    for (uint32_t f = 0; f < m->nfeat; f++)
        m->idf[f] = logf((1.0f + (float)n) / (1.0f + (float)df[f])) + 1.0f;
    m->idf_new = logf((1.0f + (float)n) / 2.0f) + 1.0f;
    d->n = (uint32_t)n;
    d->nfeat = m->nfeat;
    d->off = malloc((n + 1) * sizeof *d->off);
    d->x = malloc((total + 1) * sizeof *d->x);
    if (!d->off || !d->x)
        goto done;
    d->off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const feat_set view = { .f = fe[i], .n = nf[i] };
        d->off[i + 1] = d->off[i] + clf_vectorise(m, &view, d->x + d->off[i], NULL);
    }
    rc = CLF_OK;
done:
    for (size_t i = 0; fe && i < n; i++)
        free(fe[i]);
    free(fe);
    free(nf);
    free(df);
    feat_set_free(&fs);
    text_tokenizer_free(tok);
    return rc;
}

/* Assigns stratified folds: within each label, examples in random order go round the folds. */
static int assign_folds(dataset *d, unsigned folds, uint64_t seed)
{
    uint32_t *order = malloc(d->n * sizeof *order), *seen = calloc(d->nlabels, sizeof *seen);
    uint64_t rng = seed;
    if (!order || !seen) {
        free(order);
        free(seen);
        return CLF_ENOMEM;
    }
    for (uint32_t i = 0; i < d->n; i++)
        order[i] = i;
    shuffle(order, d->n, &rng);
    for (uint32_t k = 0; k < d->n; k++) {
        uint32_t i = order[k];
        d->fold[i] = folds < 2 ? -2 : (int8_t)(seen[d->label[i]]++ % folds);
    }
    free(order);
    free(seen);
    return CLF_OK;
}

/* Mean log-loss of the held-out scores h at temperature t. */
static double logloss(const dataset *d, const float *h, float t, float *s)
{
    double sum = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        memcpy(s, h + (size_t)i * d->nlabels, d->nlabels * sizeof *s);
        clf_softmax(s, d->nlabels, t);
        sum -= log(fmax(s[d->label[i]], 1e-12));
    }
    return sum / d->n;
}

/* The temperature in [0.02, 20] with the least log-loss of the held-out
 * scores h, to 1 %: a golden-section search over log t (the log-loss is
 * convex in 1 / t, so it has one minimum on the way). */
static float temperature(const dataset *d, const float *h, float *s)
{
    const double g = 0.6180339887498949;
    double lo = log(0.02), hi = log(20.0), a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    double fa = logloss(d, h, (float)exp(a), s), fb = logloss(d, h, (float)exp(b), s);
    while (hi - lo > 0.01) {
        if (fa <= fb) {
            hi = b;
            b = a;
            fb = fa;
            a = hi - g * (hi - lo);
            fa = logloss(d, h, (float)exp(a), s);
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + g * (hi - lo);
            fb = logloss(d, h, (float)exp(b), s);
        }
    }
    return (float)exp((lo + hi) / 2);
}

/* Sets each member's temperature and m->threshold from the held-out scores h[member]. */
static int calibrate(clf_model *m, const dataset *d, float *const *h)
{
    float *s[CLF_MEMBERS], *p = malloc(d->nlabels * sizeof *p);
    clf_outcome *o = malloc(d->n * sizeof *o);
    bool ok = p && o;
    int rc = CLF_ENOMEM;
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        ok = (s[k] = malloc(d->nlabels * sizeof *s[k])) && ok;
    if (!ok)
        goto done;
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        m->temp[k] = temperature(d, h[k], s[k]);
    for (uint32_t i = 0; i < d->n; i++) {
        uint32_t l = UINT32_MAX, top;
        for (uint32_t k = 0; k < CLF_MEMBERS; k++)
            memcpy(s[k], h[k] + (size_t)i * d->nlabels, d->nlabels * sizeof *s[k]);
        top = clf_mix(s, m->temp, CLF_MEMBERS, d->nlabels, p);
        for (uint32_t k = 0; k < d->nlabels; k++)
            if ((int32_t)k != m->oos && (l == UINT32_MAX || p[k] > p[l]))
                l = k;
        o[i] = (clf_outcome){ .conf = p[l], .oos = (int32_t)d->label[i] == m->oos,
                          .oos_won = (int32_t)top == m->oos, .right = l == d->label[i] };
    }
    m->threshold = clf_choose_threshold(o, d->n);
    rc = CLF_OK;
done:
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        free(s[k]);
    free(p);
    free(o);
    return rc;
}

/* Runs every member's fold jobs and final job on p->threads threads; leaves
 * the final weights in the model and member k's held-out scores in h[k]. */
static int run_jobs(clf_model *m, const dataset *d, const clf_params *p, float *const *h)
{
    unsigned folds = p->folds >= 2 ? p->folds : 0, nthreads = p->threads ? p->threads : 1;
    queue q = { .njobs = CLF_MEMBERS * (folds + 1) };
    pthread_t th[8];
    unsigned started = 0;
    int rc = CLF_OK;
    if (nthreads > 8)
        nthreads = 8;
    if (!(q.jobs = calloc(q.njobs, sizeof *q.jobs)))
        return CLF_ENOMEM;
    /* the final models first: they are the longest jobs */
    for (unsigned k = 0; k < q.njobs; k++) {
        unsigned mem = k % CLF_MEMBERS;
        q.jobs[k] = (job){ .d = d, .p = p, .member = mem, .fold = (int)(k / CLF_MEMBERS) - 1,
                           .heldout = h[mem] };
    }
    pthread_mutex_init(&q.lock, NULL);
    for (; started + 1 < nthreads && started < q.njobs; started++)
        if (pthread_create(&th[started], NULL, worker, &q))
            break;
    worker(&q);
    for (unsigned k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    pthread_mutex_destroy(&q.lock);
    for (unsigned k = 0; k < q.njobs; k++)
        if (q.jobs[k].rc != CLF_OK)
            rc = q.jobs[k].rc;
    for (unsigned k = 0; rc == CLF_OK && k < CLF_MEMBERS; k++) {
        memcpy(m->w[k], q.jobs[k].w, (size_t)d->nfeat * d->nlabels * sizeof *m->w[k]);
        memcpy(m->bias[k], q.jobs[k].b, d->nlabels * sizeof *m->bias[k]);
    }
    for (unsigned k = 0; k < q.njobs; k++) {
        free(q.jobs[k].w);
        free(q.jobs[k].b);
    }
    free(q.jobs);
    return rc;
}

int clf_train(const clf_example *ex, size_t n, const clf_params *p, clf_model **out)
{
    char **labels = NULL;
    uint32_t nl;
    clf_model *m = NULL;
    dataset d = { 0 };
    float *h[CLF_MEMBERS] = { 0 };
    int rc = CLF_EINVAL;
    *out = NULL;
    if (!n || n > UINT32_MAX / 2 || !p->epochs || p->folds > 100 || p->rate <= 0 || p->l2 < 0 ||
        !(p->svm_c > 0) || !p->svm_iter || !(p->nb_alpha > 0))
        goto done;
    for (size_t i = 0; i < n; i++)
        if (!ex[i].text || !ex[i].label)
            goto done;
    rc = CLF_ENOMEM;
    if (!(nl = collect_labels(ex, n, &labels)))
        goto done;
    rc = CLF_EINVAL;
    if (nl < 2 || (nl == 2 && (!strcmp(labels[0], CLF_OOS_LABEL) || !strcmp(labels[1], CLF_OOS_LABEL))))
        goto done;
    {
        int terr;
        text_tokenizer *probe = text_tokenizer_new(p->lang, &terr);
        text_tokenizer_free(probe);
        if (!probe) {
            rc = terr == TEXT_ELANG ? CLF_ELANG : CLF_ENOMEM;
            goto done;
        }
    }
    rc = CLF_ENOMEM;
    if (!(m = clf_model_new(p->lang ? p->lang : "", labels, nl, 0, CLF_MEMBERS)))
        goto done;
    d.nlabels = nl;
    d.label = malloc(n * sizeof *d.label);
    d.fold = malloc(n);
    if (!d.label || !d.fold)
        goto done;
    for (size_t i = 0; i < n; i++) {
        char *key = (char *)ex[i].label;
        d.label[i] = (uint32_t)((char **)bsearch(&key, labels, nl, sizeof *labels, clf_cmp_str) - labels);
    }
    if ((rc = build_dataset(m, ex, n, &d)) != CLF_OK)
        goto done;
    if ((rc = assign_folds(&d, p->folds, p->seed)) != CLF_OK)
        goto done;
    rc = CLF_ENOMEM;
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        if (!(h[k] = calloc((size_t)n * nl, sizeof *h[k])))
            goto done;
    if ((rc = run_jobs(m, &d, p, h)) != CLF_OK)
        goto done;
    if (p->folds >= 2 && (rc = calibrate(m, &d, h)) != CLF_OK)
        goto done;
    *out = m;
    m = NULL;
done:
    clf_free(m);
    free(labels);
    free(d.label);
    free(d.fold);
    free(d.off);
    free(d.x);
    for (uint32_t k = 0; k < CLF_MEMBERS; k++)
        free(h[k]);
    return rc;
}
