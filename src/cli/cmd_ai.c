/* cmd_ai: evaluation of the classifier and the retriever on CSV files, and training the
 * server's models. */
#include "cli/cmd_ai.h"

#include "ai/classifier.h"
#include "ai/retriever.h"
#include "assist/assist.h"
#include "cli/cli.h"
#include "store/migrations.h"
#include "util/csv.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_COLS = 4, EVAL_K = 100 };

/* A CSV file's rows reduced to the wanted columns. */
typedef struct {
    char **cell; /* [nrows * ncols]; NULL for an absent optional column */
    size_t *line; /* [nrows]: the line each row starts on */
    size_t nrows, ncols;
} table;

static void usage(void)
{
    fputs("usage: parley ai eval-classifier --train T.csv --test S.csv\n"
          "       parley ai eval-retrieval --articles A.csv --queries Q.csv\n"
          "       parley ai train [--csv FILE] [--kind category|priority|sentiment] [--data DIR] [--db URL]\n",
          stderr);
}

static void data_error(const char *file, size_t line, const char *what)
{
    fprintf(stderr, "parley: %s:%zu: %s\n", file, line, what);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void table_free(table *t)
{
    for (size_t i = 0; t->cell && i < t->nrows * t->ncols; i++)
        free(t->cell[i]);
    free(t->cell);
    free(t->line);
    memset(t, 0, sizeof *t);
}

/* Reads a whole file into a new buffer; NULL (errno set) on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    if (!f)
        return NULL;
    do {
        if (n == cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Appends a copy of the wanted fields of rec (map[c] is the field index of
 * column c, or -1), which starts on `line`, to t. */
static int table_push(table *t, const csv_record *rec, const int *map, size_t line, size_t *cap)
{
    if (t->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        char **nc = realloc(t->cell, ncap * t->ncols * sizeof *nc);
        size_t *nl;
        if (!nc)
            return -1;
        t->cell = nc;
        if (!(nl = realloc(t->line, ncap * sizeof *nl)))
            return -1;
        t->line = nl;
        *cap = ncap;
    }
    t->line[t->nrows] = line;
    for (size_t c = 0; c < t->ncols; c++) {
        char **dst = &t->cell[t->nrows * t->ncols + c];
        *dst = NULL;
        if (map[c] >= 0 && !(*dst = strdup(rec->f[map[c]]))) {
            while (c--)
                free(t->cell[t->nrows * t->ncols + c]);
            return -1;
        }
    }
    t->nrows++;
    return 0;
}

/* Loads the columns `cols` (by header name; a leading '?' marks an optional
 * one) of a CSV file. Prints the error and returns 1 on failure. */
static int load_table(const char *path, const char *const *cols, size_t ncols, table *t)
{
    size_t len = 0, cap = 0, nhead;
    char *data = slurp(path, &len), msg[160];
    csv_reader r;
    csv_record rec;
    int map[MAX_COLS], rc = 1, e;
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    if (!data) {
        data_error(path, 0, strerror(errno));
        return 1;
    }
    csv_reader_init(&r, data, len);
    if ((e = csv_read(&r, &rec)) != CSV_OK) {
        data_error(path, e == CSV_END ? 1 : r.err_line, e == CSV_END ? "empty file" : csv_strerror(e));
        goto done;
    }
    nhead = rec.n;
    for (size_t c = 0; c < ncols; c++) {
        const char *name = cols[c] + (cols[c][0] == '?');
        map[c] = -1;
        for (size_t f = 0; f < rec.n; f++)
            if (!strcmp(rec.f[f], name))
                map[c] = (int)f;
        if (map[c] < 0 && cols[c][0] != '?') {
            snprintf(msg, sizeof msg, "no column \"%s\" in the header", name);
            data_error(path, 1, msg);
            goto done;
        }
    }
    while ((e = csv_read(&r, &rec)) == CSV_OK) {
        if (rec.n == 1 && rec.len[0] == 0)
            continue; /* blank line */
        if (rec.n != nhead) {
            snprintf(msg, sizeof msg, "%zu fields where the header has %zu", rec.n, nhead);
            data_error(path, r.rec_line, msg);
            goto done;
        }
        if (table_push(t, &rec, map, r.rec_line, &cap)) {
            data_error(path, r.rec_line, "out of memory");
            goto done;
        }
    }
    if (e != CSV_END) {
        data_error(path, r.err_line, csv_strerror(e));
        goto done;
    }
    if (!t->nrows) {
        data_error(path, 2, "no rows after the header");
        goto done;
    }
    rc = 0;
done:
    if (rc)
        table_free(t);
    csv_reader_free(&r);
    free(data);
    return rc;
}

/* Prints a JSON object on one line and frees it. */
static int print_json(json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(o);
    if (!s) {
        fputs("parley: out of memory\n", stderr);
        return 1;
    }
    puts(s);
    free(s);
    return 0;
}

/* Parses "--a X --b Y" into vals in the order of names; 0 if all present. */
static int parse_opts(int argc, char **argv, const char *const *names, const char **vals, int n)
{
    for (int k = 0; k < n; k++)
        vals[k] = NULL;
    for (int i = 2; i < argc; i += 2) {
        int k = 0;
        while (k < n && strcmp(argv[i], names[k]))
            k++;
        if (k == n || i + 1 >= argc || vals[k])
            return -1;
        vals[k] = argv[i + 1];
    }
    for (int k = 0; k < n; k++)
        if (!vals[k])
            return -1;
    return 0;
}

/* Macro-F1 over the in-scope labels present in the test set. pred[i] is
 * the predicted label index or -1 (abstain); gold[i] the true one or -1 (oos). */
static double macro_f1(const int *gold, const int *pred, size_t n, size_t nlabels)
{
    size_t *tp = calloc(nlabels, sizeof *tp), *fp = calloc(nlabels, sizeof *fp),
           *fn = calloc(nlabels, sizeof *fn), present = 0;
    double sum = 0;
    if (!tp || !fp || !fn)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (gold[i] >= 0 && gold[i] == pred[i]) {
            tp[gold[i]]++;
            continue;
        }
        if (gold[i] >= 0)
            fn[gold[i]]++;
        if (pred[i] >= 0)
            fp[pred[i]]++;
    }
    for (size_t l = 0; l < nlabels; l++) {
        if (!tp[l] && !fn[l])
            continue; /* not in the test set */
        present++;
        sum += 2.0 * tp[l] / (2.0 * tp[l] + fp[l] + fn[l]);
    }
done:
    free(tp);
    free(fp);
    free(fn);
    return present ? sum / present : 0;
}

/* The index of label s in m, or -1 for an unknown one. */
static int label_index(const clf_model *m, const char *s)
{
    for (size_t i = 0; i < clf_nlabels(m); i++)
        if (!strcmp(clf_label(m, i), s))
            return (int)i;
    return -1;
}

static int eval_classifier(const char *train_path, const char *test_path)
{
    static const char *const cols[] = { "text", "label" };
    table tr = { 0 }, te = { 0 };
    clf_example *ex = NULL;
    clf_model *m = NULL;
    clf_ctx *ctx = NULL;
    clf_params p;
    int *gold = NULL, *pred = NULL, rc = 1, e;
    size_t nin = 0, right = 0, noos = 0, caught = 0;
    double t0, train_s, pred_s;
    if (load_table(train_path, cols, 2, &tr) || load_table(test_path, cols, 2, &te))
        goto done;
    if (!(ex = malloc(tr.nrows * sizeof *ex)) || !(gold = malloc(te.nrows * sizeof *gold)) ||
        !(pred = malloc(te.nrows * sizeof *pred)))
        goto oom;
    for (size_t i = 0; i < tr.nrows; i++)
        ex[i] = (clf_example){ .text = tr.cell[2 * i], .label = tr.cell[2 * i + 1] };
    clf_params_default(&p);
    t0 = now();
    if ((e = clf_train(ex, tr.nrows, &p, &m)) != CLF_OK) {
        data_error(train_path, 0, e == CLF_ENOMEM ? "out of memory" : "cannot train: needs at least two labels");
        goto done;
    }
    train_s = now() - t0;
    if (!(ctx = clf_ctx_new(m)))
        goto oom;
    t0 = now();
    for (size_t i = 0; i < te.nrows; i++) {
        clf_prediction pr;
        const char *text = te.cell[2 * i];
        if (clf_predict(m, ctx, text, strlen(text), &pr) != CLF_OK)
            goto oom;
        pred[i] = pr.abstain ? -1 : pr.label_index;
    }
    pred_s = now() - t0;
    for (size_t i = 0; i < te.nrows; i++) {
        const char *label = te.cell[2 * i + 1];
        int oos = !strcmp(label, CLF_OOS_LABEL);
        gold[i] = oos ? -1 : label_index(m, label);
        noos += oos;
        caught += oos && pred[i] < 0;
        nin += !oos;
        right += !oos && gold[i] >= 0 && pred[i] == gold[i];
    }
    rc = print_json(json_pack("{s:I,s:f,s:f,s:o,s:f,s:f}", "examples", (json_int_t)te.nrows,
                              "accuracy", nin ? (double)right / nin : 0.0,
                              "macro_f1", macro_f1(gold, pred, te.nrows, clf_nlabels(m)),
                              "oos_recall", noos ? json_real((double)caught / noos) : json_null(),
                              "train_seconds", train_s,
                              "us_per_prediction", pred_s * 1e6 / te.nrows));
    goto done;
oom:
    fputs("parley: out of memory\n", stderr);
done:
    clf_ctx_free(ctx);
    clf_free(m);
    free(ex);
    free(gold);
    free(pred);
    table_free(&tr);
    table_free(&te);
    return rc;
}

static int eval_retrieval(const char *art_path, const char *q_path)
{
    static const char *const acols[] = { "id", "title", "body", "?tags" };
    static const char *const qcols[] = { "query", "article_id" };
    table at = { 0 }, qt = { 0 };
    retr_index *ix = retr_new("en", NULL);
    retr_hit hits[EVAL_K];
    size_t nh, r1 = 0, r5 = 0;
    double mrr = 0, t0, secs;
    int rc = 1;
    char *end;
    if (!ix)
        goto oom;
    if (load_table(art_path, acols, 4, &at) || load_table(q_path, qcols, 2, &qt))
        goto done;
    for (size_t i = 0; i < at.nrows; i++) {
        char **row = at.cell + 4 * i;
        retr_doc d = { .title = row[1], .body = row[2], .tags = row[3] };
        errno = 0;
        d.id = strtoll(row[0], &end, 10);
        if (errno || end == row[0] || *end) {
            data_error(art_path, at.line[i], "id is not an integer");
            goto done;
        }
        if (retr_add(ix, &d) != RETR_OK)
            goto oom;
    }
    t0 = now();
    for (size_t i = 0; i < qt.nrows; i++) {
        const char *q = qt.cell[2 * i], *want = qt.cell[2 * i + 1];
        long long id = strtoll(want, &end, 10);
        if (end == want || *end) {
            data_error(q_path, qt.line[i], "article_id is not an integer");
            goto done;
        }
        if (retr_search(ix, q, NULL, EVAL_K, hits, &nh) != RETR_OK)
            goto oom;
        for (size_t k = 0; k < nh; k++) {
            if (hits[k].id != id)
                continue;
            r1 += k == 0;
            r5 += k < 5;
            mrr += 1.0 / (double)(k + 1);
            break;
        }
    }
    secs = now() - t0;
    rc = print_json(json_pack("{s:I,s:f,s:f,s:f,s:f}", "queries", (json_int_t)qt.nrows,
                              "recall@1", (double)r1 / qt.nrows, "recall@5", (double)r5 / qt.nrows,
                              "mrr", mrr / qt.nrows, "ms_per_query", secs * 1e3 / qt.nrows));
    goto done;
oom:
    fputs("parley: out of memory\n", stderr);
done:
    retr_free(ix);
    table_free(&at);
    table_free(&qt);
    return rc;
}

/* Checks the rows of a training CSV: a text and a label of 1..ASSIST_LABEL_MAX bytes each, and
 * at least two labels (checked before the stored examples are replaced). */
static int check_rows(const char *path, const table *t)
{
    bool two = false;
    for (size_t i = 0; i < t->nrows; i++) {
        two = two || strcmp(t->cell[1], t->cell[2 * i + 1]) != 0;
        const char *text = t->cell[2 * i], *label = t->cell[2 * i + 1];
        if (!*text || !*label || strlen(label) > ASSIST_LABEL_MAX) {
            char msg[96];
            snprintf(msg, sizeof msg, !*text ? "the text is empty" : "the label must have 1 to %d bytes",
                     ASSIST_LABEL_MAX);
            data_error(path, t->line[i], msg);
            return 1;
        }
    }
    if (!two)
        data_error(path, 0, "cannot train: needs at least two labels");
    return two ? 0 : 1;
}

/* `parley ai train`: stores the CSV's rows as the kind's examples (when --csv is given), trains
 * a model on every stored example of that kind and saves it as the next version; a running
 * server loads it within seconds. */
static int train(int argc, char **argv)
{
    static const char *const cols[] = { "text", "label" };
    const char *csv = NULL, *kind_name = "category", *pos[1];
    struct config_opt extra[] = { { "csv", &csv }, { "kind", &kind_name }, { NULL, NULL } };
    struct config cfg;
    int npos;
    enum assist_kind kind;
    if (!cli_config(&cfg, argc, argv, extra, pos, 0, &npos))
        return 2;
    if (!assist_kind_parse(kind_name, &kind)) {
        fprintf(stderr, "parley: --kind must be category, priority or sentiment\n");
        return 2;
    }
    table t = { 0 };
    if (csv && (load_table(csv, cols, 2, &t) || check_rows(csv, &t))) {
        table_free(&t);
        return 1;
    }
    char err[512];
    int rc = 1, applied;
    struct failure f;
    json_t *out = NULL;
    struct db *db = db_open(cfg.db_url, cfg.data_dir, err, sizeof err);
    if (!db)
        fprintf(stderr, "parley: %s\n", err);
    else if (migrate_apply(db, &applied) < 0)
        fprintf(stderr, "parley: %s\n", db_errmsg(db));
    else if (csv && assist_examples_replace_csv(db, kind, t.cell, t.nrows, &f))
        fprintf(stderr, "parley: %s\n", f.message);
    else if (assist_train(db, kind, &out, &f))
        fprintf(stderr, "parley: %s\n", f.message);
    else
        rc = print_json(out);
    if (db)
        db_close(db);
    table_free(&t);
    return rc;
}

int cmd_ai(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "train"))
        return train(argc - 2, argv + 2);
    static const char *const copts[] = { "--train", "--test" };
    static const char *const ropts[] = { "--articles", "--queries" };
    const char *v[2];
    if (argc >= 2 && !strcmp(argv[1], "eval-classifier") && !parse_opts(argc, argv, copts, v, 2))
        return eval_classifier(v[0], v[1]);
    if (argc >= 2 && !strcmp(argv[1], "eval-retrieval") && !parse_opts(argc, argv, ropts, v, 2))
        return eval_retrieval(v[0], v[1]);
    usage();
    return 2;
}
