#include "assist/assist.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/language.h"
#include "assist/autoresolve.h"
#include "assist/learn.h"
#include "assist/solved.h"
#include "util/log.h"
#include "util/timeutil.h"

/* One kind's model, its version and a pool of prediction contexts made for it. */
struct slot {
    pthread_rwlock_t lock;      /* model: shared to predict, exclusive to update or replace */
    clf_model *model;
    int64_t version;
    pthread_mutex_t pool_lock;
    clf_ctx **ctx;
    size_t nctx, capctx;
};

struct assist {
    struct lang_detector *lang;
    struct slot slots[ASSIST__KINDS];
    int64_t retrain_checked;    /* when the last retrain check ran (epoch seconds) */
    struct assist_solved *solved; /* past solved tickets (assist/solved.h) */
};

static const char *const kind_names[ASSIST__KINDS] = {"category", "priority", "sentiment"};

/* Retrain a kind when this many agent labels arrived since its model, at most once an hour. */
#define RETRAIN_MIN_LABELS 20
#define RETRAIN_EVERY 3600

const char *assist_kind_name(enum assist_kind k)
{
    return kind_names[k];
}

bool assist_kind_parse(const char *name, enum assist_kind *out)
{
    for (int k = 0; name && k < ASSIST__KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (enum assist_kind)k;
            return true;
        }
    return false;
}

static clf_ctx *ctx_take(struct slot *s)
{
    clf_ctx *c = NULL;
    pthread_mutex_lock(&s->pool_lock);
    if (s->nctx)
        c = s->ctx[--s->nctx];
    pthread_mutex_unlock(&s->pool_lock);
    if (!c && !(c = clf_ctx_new(s->model)))
        abort();
    return c;
}

static void ctx_give(struct slot *s, clf_ctx *c)
{
    pthread_mutex_lock(&s->pool_lock);
    if (s->nctx == s->capctx) {
        size_t cap = s->capctx ? s->capctx * 2 : 8;
        clf_ctx **n = realloc(s->ctx, cap * sizeof *n);
        if (!n)
            abort();
        s->ctx = n;
        s->capctx = cap;
    }
    s->ctx[s->nctx++] = c;
    pthread_mutex_unlock(&s->pool_lock);
}

/* Frees the contexts of the pool: the caller holds the slot's write lock. */
static void pool_clear(struct slot *s)
{
    pthread_mutex_lock(&s->pool_lock);
    for (size_t i = 0; i < s->nctx; i++)
        clf_ctx_free(s->ctx[i]);
    s->nctx = 0;
    pthread_mutex_unlock(&s->pool_lock);
}

/* Reads model `version` of kind k from db; NULL when it is missing or unreadable (logged). */
static clf_model *load_model(struct db *db, enum assist_kind k, int64_t version)
{
    struct db_stmt *st =
        db_query(db, "SELECT bytes FROM ai_models WHERE kind = $1 AND version = $2", "ti", kind_names[k], version);
    clf_model *m = NULL;
    if (st && db_step(st) == DB_ROW) {
        const char *b64 = db_col_text(st, 0);
        size_t cap = strlen(b64) / 4 * 3 + 3, len = 0;
        unsigned char *bytes = malloc(cap);
        if (!bytes)
            abort();
        int rc = sodium_base642bin(bytes, cap, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL);
        if (rc != 0 || clf_load(bytes, len, &m) != CLF_OK)
            log_error("ai: the %s model version %lld cannot be read", kind_names[k], (long long)version);
        free(bytes);
    }
    db_finalize(st);
    return m;
}

void assist_reload(struct assist *a, struct db *db)
{
    int64_t newest[ASSIST__KINDS] = {0};
    struct db_stmt *st = db_query(db, "SELECT kind, MAX(version) FROM ai_models GROUP BY kind", NULL);
    while (st && db_step(st) == DB_ROW) {
        enum assist_kind k;
        if (assist_kind_parse(db_col_text(st, 0), &k))
            newest[k] = db_col_int(st, 1);
    }
    db_finalize(st);
    for (int k = 0; k < ASSIST__KINDS; k++) {
        struct slot *s = &a->slots[k];
        pthread_rwlock_rdlock(&s->lock);
        bool stale = newest[k] > s->version;
        pthread_rwlock_unlock(&s->lock);
        clf_model *m = stale ? load_model(db, (enum assist_kind)k, newest[k]) : NULL;
        if (!m)
            continue;
        pthread_rwlock_wrlock(&s->lock);
        pool_clear(s);
        clf_free(s->model);
        s->model = m;
        s->version = newest[k];
        pthread_rwlock_unlock(&s->lock);
        log_info("ai: %s model version %lld loaded (%zu labels)", kind_names[k], (long long)newest[k], clf_nlabels(m));
    }
}

struct assist *assist_open(struct db *db, char *err, size_t errlen)
{
    struct assist *a = calloc(1, sizeof *a);
    if (!a)
        abort();
    curl_global_init(CURL_GLOBAL_DEFAULT); /* once, before any thread makes an LLM call (assist/llm.c) */
    for (int k = 0; k < ASSIST__KINDS; k++) {
        pthread_rwlock_init(&a->slots[k].lock, NULL);
        pthread_mutex_init(&a->slots[k].pool_lock, NULL);
    }
    a->lang = lang_open(LANG_DEFAULT_DIR, NULL, 0);
    if (!a->lang) {
        snprintf(err, errlen, "cannot read the language fingerprints in %s (package libexttextcat-data)",
                 LANG_DEFAULT_DIR);
        assist_close(a);
        return NULL;
    }
    a->retrain_checked = time_now();
    a->solved = assist_solved_new();
    if (db)
        assist_reload(a, db);
    return a;
}

void assist_close(struct assist *a)
{
    if (!a)
        return;
    for (int k = 0; k < ASSIST__KINDS; k++) {
        struct slot *s = &a->slots[k];
        pool_clear(s);
        free(s->ctx);
        clf_free(s->model);
        pthread_rwlock_destroy(&s->lock);
        pthread_mutex_destroy(&s->pool_lock);
    }
    lang_close(a->lang);
    assist_solved_free(a->solved);
    free(a);
    curl_global_cleanup();
}

struct assist_solved *assist_solved_index(struct assist *a)
{
    return a->solved;
}

void assist_language(struct assist *a, const char *text, size_t len, char out[4])
{
    struct lang_guess g;
    lang_detect(a->lang, text, len, &g);
    memcpy(out, g.code, sizeof g.code);
}

void assist_predict(struct assist *a, enum assist_kind k, const char *text, size_t len, struct assist_pred *out)
{
    struct slot *s = &a->slots[k];
    memset(out, 0, sizeof *out);
    pthread_rwlock_rdlock(&s->lock);
    if (s->model) {
        clf_ctx *c = ctx_take(s);
        clf_prediction p;
        if (clf_predict(s->model, c, text, len < ASSIST_TEXT_MAX ? len : ASSIST_TEXT_MAX, &p) != CLF_OK)
            abort(); /* only fails when out of memory */
        ctx_give(s, c);
        out->has_model = true;
        snprintf(out->label, sizeof out->label, "%s", p.label);
        out->confidence = p.confidence;
        out->abstain = p.abstain;
        out->nwhy = p.nwhy;
        memcpy(out->why, p.why, sizeof p.why);
        out->version = s->version;
    }
    pthread_rwlock_unlock(&s->lock);
}

void assist_learn(struct assist *a, enum assist_kind k, const char *text, size_t len, const char *label)
{
    struct slot *s = &a->slots[k];
    pthread_rwlock_wrlock(&s->lock);
    if (s->model) {
        clf_ctx *c = ctx_take(s);
        int rc = clf_update(s->model, c, text, len < ASSIST_TEXT_MAX ? len : ASSIST_TEXT_MAX, label);
        ctx_give(s, c);
        if (rc == CLF_ENOMEM)
            abort();
    }
    pthread_rwlock_unlock(&s->lock);
}

char *assist_ticket_text(const char *subject, const char *body)
{
    size_t ls = strlen(subject), lb = strlen(body), n = ls + 1 + lb;
    char *t = malloc(n + 1);
    if (!t)
        abort();
    memcpy(t, subject, ls);
    t[ls] = '\n';
    memcpy(t + ls + 1, body, lb + 1);
    if (n > ASSIST_TEXT_MAX) {
        n = ASSIST_TEXT_MAX;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--; /* cut before a continuation byte, never inside a character */
        t[n] = 0;
    }
    return t;
}

/* Finds the language of messages that have none yet (new ones, and those from before the AI). */
static void message_languages(struct assist *a, struct db *db)
{
    struct db_stmt *st =
        db_query(db, "SELECT id, body FROM messages WHERE language IS NULL ORDER BY id LIMIT 200", NULL);
    int64_t ids[200];
    char codes[200][4];
    size_t n = 0;
    while (st && n < 200 && db_step(st) == DB_ROW) {
        const char *body = db_col_text(st, 1);
        ids[n] = db_col_int(st, 0);
        assist_language(a, body, strlen(body), codes[n]);
        n++;
    }
    db_finalize(st);
    if (!n)
        return;
    int rc = db_begin(db);
    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = db_run(db, "UPDATE messages SET language = $1 WHERE id = $2 AND language IS NULL", "ti", codes[i], ids[i]);
    if (rc < 0 || db_commit(db) < 0) {
        log_error("ai: message languages: %s", db_errmsg(db));
        db_rollback(db);
    }
}

/* Retrains each kind that has a model and enough new agent labels since it. */
static void maybe_retrain(struct db *db)
{
    for (int k = 0; k < ASSIST__KINDS; k++) {
        struct db_stmt *st = db_query(db,
                                      "SELECT m.created_at, (SELECT COUNT(*) FROM ai_examples e WHERE e.kind = m.kind"
                                      " AND e.source = 'agent' AND e.id > m.last_example_id) FROM ai_models m"
                                      " WHERE m.kind = $1 ORDER BY m.version DESC LIMIT 1",
                                      "t", kind_names[k]);
        bool due = st && db_step(st) == DB_ROW && db_col_int(st, 0) + RETRAIN_EVERY <= time_now() &&
                   db_col_int(st, 1) >= RETRAIN_MIN_LABELS;
        db_finalize(st);
        struct failure f;
        if (due && assist_train(db, (enum assist_kind)k, NULL, &f))
            log_error("ai: retraining the %s model: %s", kind_names[k], f.message);
    }
}

void assist_tick(struct assist *a, struct db *db, struct bus *bus)
{
    assist_reload(a, db);
    message_languages(a, db);
    assist_scan_overrides(a, db);
    assist_resolutions_tick(db, bus);
    assist_solved_sync(a->solved, db);
    if (a->retrain_checked + RETRAIN_EVERY / 6 <= time_now()) {
        a->retrain_checked = time_now();
        maybe_retrain(db);
        assist_reload(a, db);
    }
}
