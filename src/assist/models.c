/* The models' tables: labelled examples, training runs and the stored models. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assist/assist.h"
#include "util/timeutil.h"

enum err assist_examples_replace_csv(struct db *db, enum assist_kind k, char *const *pairs, size_t n,
                                     struct failure *f)
{
    const char *kind = assist_kind_name(k);
    int64_t now = time_now();
    int rc = db_begin(db);
    if (rc >= 0)
        rc = db_run(db, "DELETE FROM ai_examples WHERE kind = $1 AND source = 'csv'", "t", kind);
    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = db_run(db, "INSERT INTO ai_examples (kind, text, label, source, created_at) VALUES ($1, $2, $3, 'csv', $4)",
                    "ttti", kind, pairs[2 * i], pairs[2 * i + 1], now);
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not store the examples: %s", db_errmsg(db));
    }
    return ERR_OK;
}

/* The examples of a kind read for training (strings owned here). */
struct examples {
    clf_example *ex;
    size_t n, cap;
    int64_t last_id;
};

static void examples_free(struct examples *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free((char *)e->ex[i].text);
        free((char *)e->ex[i].label);
    }
    free(e->ex);
}

static int read_examples(struct db *db, enum assist_kind k, struct examples *e)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, text, label FROM ai_examples WHERE kind = $1 ORDER BY id DESC LIMIT $2",
                                  "ti", assist_kind_name(k), (int64_t)ASSIST_TRAIN_MAX);
    int rc = st ? DB_ROW : DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        if (e->n == e->cap) {
            e->cap = e->cap ? e->cap * 2 : 1024;
            e->ex = realloc(e->ex, e->cap * sizeof *e->ex);
            if (!e->ex)
                abort();
        }
        if (db_col_int(st, 0) > e->last_id)
            e->last_id = db_col_int(st, 0);
        e->ex[e->n].text = strdup(db_col_text(st, 1));
        e->ex[e->n].label = strdup(db_col_text(st, 2));
        if (!e->ex[e->n].text || !e->ex[e->n].label)
            abort();
        e->n++;
    }
    db_finalize(st);
    return rc;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Stores m as the next version of kind k; its number in *version. */
static int save_model(struct db *db, enum assist_kind k, const clf_model *m, size_t examples, int64_t last_id,
                      const char *metrics, int64_t *version)
{
    unsigned char *bytes;
    size_t len;
    if (clf_save(m, &bytes, &len) != CLF_OK)
        abort();
    size_t b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64len);
    if (!b64)
        abort();
    sodium_bin2base64(b64, b64len, bytes, len, sodium_base64_VARIANT_ORIGINAL);
    free(bytes);
    int rc = db_begin(db);
    struct db_stmt *st = rc < 0 ? NULL
                                : db_query(db,
                                           "INSERT INTO ai_models (kind, version, bytes, examples, last_example_id, metrics,"
                                           " created_at) SELECT CAST($1 AS TEXT), COALESCE(MAX(version), 0) + 1, CAST($2 AS TEXT),"
                                           " CAST($3 AS BIGINT), CAST($4 AS BIGINT), CAST($5 AS TEXT), CAST($6 AS BIGINT)"
                                           " FROM ai_models WHERE kind = $1 RETURNING version",
                                           "ttiiti", assist_kind_name(k), b64, (int64_t)examples, last_id, metrics,
                                           time_now());
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW)
        *version = db_col_int(st, 0);
    db_finalize(st);
    free(b64);
    if (rc == DB_ROW && db_commit(db) >= 0)
        return DB_DONE;
    db_rollback(db);
    return rc == DB_ROW ? DB_ERROR : rc;
}

enum err assist_train(struct db *db, enum assist_kind k, json_t **out, struct failure *f)
{
    struct examples e = {0};
    clf_model *m = NULL;
    enum err err = ERR_OK;
    if (read_examples(db, k, &e) < 0) {
        err = fail(f, ERR_INTERNAL, NULL, "could not read the examples: %s", db_errmsg(db));
        goto done;
    }
    clf_params p;
    clf_params_default(&p);
    double t0 = seconds_now();
    int rc = e.n ? clf_train(e.ex, e.n, &p, &m) : CLF_EINVAL;
    if (rc == CLF_ENOMEM)
        abort();
    if (rc != CLF_OK) {
        err = fail(f, ERR_VALIDATION, "kind", "cannot train the %s model: it needs examples of at least two labels",
                   assist_kind_name(k));
        goto done;
    }
    double secs = seconds_now() - t0;
    json_t *labels = json_array();
    for (size_t i = 0; i < clf_nlabels(m); i++)
        json_array_append_new(labels, json_string(clf_label(m, i)));
    json_t *metrics = json_pack("{s:o, s:f, s:f}", "labels", labels, "threshold", (double)clf_threshold(m),
                                "train_seconds", secs);
    char *metrics_text = json_dumps(metrics, JSON_COMPACT);
    int64_t version = 0;
    rc = save_model(db, k, m, e.n, e.last_id, metrics_text, &version);
    free(metrics_text);
    if (rc < 0) {
        json_decref(metrics);
        err = fail(f, ERR_INTERNAL, NULL, "could not save the model: %s", db_errmsg(db));
        goto done;
    }
    if (out) {
        json_object_set_new(metrics, "kind", json_string(assist_kind_name(k)));
        json_object_set_new(metrics, "version", json_integer(version));
        json_object_set_new(metrics, "examples", json_integer((json_int_t)e.n));
        *out = metrics;
    } else {
        json_decref(metrics);
    }
done:
    clf_free(m);
    examples_free(&e);
    return err;
}

json_t *assist_models_list(struct db *db)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT kind, version, examples, created_at, metrics FROM ai_models m WHERE version ="
                                  " (SELECT MAX(version) FROM ai_models n WHERE n.kind = m.kind) ORDER BY kind",
                                  NULL);
    if (!st)
        return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[21];
        json_t *metrics = json_loads(db_col_text(st, 4), 0, NULL);
        json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:s, s:o}", "kind", db_col_text(st, 0), "version",
                                               (json_int_t)db_col_int(st, 1), "examples",
                                               (json_int_t)db_col_int(st, 2), "created_at",
                                               time_format(db_col_int(st, 3), at), "metrics",
                                               metrics ? metrics : json_object()));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}
