#include "assist/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/text.h"
#include "assist/llm.h"
#include "assist/autoresolve.h"
#include "assist/first_response.h"
#include "assist/templates.h"
#include "audit/audit.h"

/* The members kept by other modules, in the order the API shows them. */
static const struct assist_setting *const SETTINGS[] = {&assist_first_response_setting, &assist_auto_resolve_setting,
                                                        &assist_templates_setting};
#define NSETTINGS (sizeof SETTINGS / sizeof *SETTINGS)

/* Stores member s's new value v (merged into the current one when s merges) and audits it, inside
 * the caller's transaction. */
static int put_setting(struct db *db, const struct assist_setting *s, json_t *v, int64_t actor_id, const char *ip)
{
    json_t *value = s->merge ? s->get(db) : json_incref(v);
    if (!value)
        return DB_ERROR;
    if (s->merge)
        json_object_update_existing(value, v);
    char field[48];
    snprintf(field, sizeof field, "ai.%s", s->member);
    int rc = s->store(db, value);
    if (rc >= 0)
        rc = assist_audit_settings(db, field, value, actor_id, ip);
    json_decref(value);
    return rc;
}

json_t *assist_config_get(struct db *db)
{
    json_t *teams = json_object(), *words = json_array();
    struct db_stmt *st = db_query(db, "SELECT category, team_id FROM ai_category_teams ORDER BY category", NULL);
    int rc = st ? DB_ROW : DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_object_set_new(teams, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
    db_finalize(st);
    st = rc < 0 ? NULL : db_query(db, "SELECT phrase, suggestion FROM ai_tone_words ORDER BY phrase", NULL);
    rc = st ? DB_ROW : DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(words, json_pack("{s:s, s:o}", "phrase", db_col_text(st, 0), "suggestion",
                                               db_col_null(st, 1) ? json_null() : json_string(db_col_text(st, 1))));
    db_finalize(st);
    json_t *llm = rc < 0 ? NULL : assist_llm_get(db);
    json_t *out = json_pack("{s:o, s:o, s:o*}", "category_teams", teams, "tone_words", words, "llm", llm);
    for (size_t i = 0; i < NSETTINGS && llm; i++) {
        json_t *v = SETTINGS[i]->get(db);
        if (!v)
            break;
        json_object_set_new(out, SETTINGS[i]->member, v);
    }
    if (rc < 0 || !llm || json_object_size(out) != 3 + NSETTINGS) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The phrase as the tone check matches it: the tokenizer's lower-cased words joined by single
 * spaces (caller frees); NULL when it has no word. */
static char *normalize_phrase(const char *s)
{
    text_tokenizer *t = text_tokenizer_new(NULL, NULL);
    text_tokens tt = {0};
    if (!t || text_tokenize(t, s, strlen(s), &tt) != TEXT_OK)
        abort();
    char *out = NULL;
    if (tt.n) {
        size_t len = 0;
        for (size_t i = 0; i < tt.n; i++)
            len += tt.tok[i].norm_len + 1;
        if (!(out = malloc(len)))
            abort();
        char *p = out;
        for (size_t i = 0; i < tt.n; i++) {
            memcpy(p, tt.tok[i].norm, tt.tok[i].norm_len);
            p += tt.tok[i].norm_len;
            *p++ = i + 1 < tt.n ? ' ' : 0;
        }
    }
    text_tokens_free(&tt);
    text_tokenizer_free(t);
    return out;
}

static enum err check(struct db *db, json_t *doc, struct failure *f)
{
    json_t *teams = json_object_get(doc, "category_teams"), *words = json_object_get(doc, "tone_words"), *v;
    const char *k;
    size_t i;
    if (teams && !json_is_object(teams))
        return fail(f, ERR_VALIDATION, "category_teams", "category_teams must be an object of category: team id");
    json_object_foreach(teams, k, v) {
        struct db_stmt *st = json_is_integer(v) ? db_query(db, "SELECT 1 FROM teams WHERE id = $1", "i",
                                                           (int64_t)json_integer_value(v))
                                                : NULL;
        bool ok = st && db_step(st) == DB_ROW;
        db_finalize(st);
        if (!*k || strlen(k) > 63 || !ok) {
            fail(f, ERR_VALIDATION, NULL, "category_teams.%.63s must be an existing team's id (and the category 1 to"
                 " 63 bytes)", k);
            snprintf(f->field, sizeof f->field, "category_teams.%.63s", k);
            return ERR_VALIDATION;
        }
    }
    json_t *llm = json_object_get(doc, "llm");
    enum err e = llm ? assist_llm_check(llm, f) : ERR_OK;
    for (size_t s = 0; s < NSETTINGS && !e; s++) {
        json_t *m = json_object_get(doc, SETTINGS[s]->member);
        if (m)
            e = SETTINGS[s]->check(m, f);
    }
    if (e)
        return e;
    if (words && (!json_is_array(words) || json_array_size(words) > ASSIST_TONE_WORDS_MAX))
        return fail(f, ERR_VALIDATION, "tone_words", "tone_words must be a list of at most %d entries",
                    ASSIST_TONE_WORDS_MAX);
    json_array_foreach(words, i, v) {
        json_t *p = json_is_string(v) ? v : json_object_get(v, "phrase"), *s = json_object_get(v, "suggestion");
        const char *bad = NULL; /* the entry's member at fault, "" for the entry itself */
        char *norm = NULL;
        if (!json_is_string(p) || json_string_length(p) > ASSIST_TONE_WORD_MAX)
            bad = json_is_string(v) ? "" : ".phrase";
        else if (s && !json_is_null(s) && (!json_is_string(s) || json_string_length(s) > ASSIST_TONE_WORD_MAX))
            bad = ".suggestion";
        else if (!(norm = normalize_phrase(json_string_value(p))))
            bad = json_is_string(v) ? "" : ".phrase";
        free(norm);
        if (bad) {
            fail(f, ERR_VALIDATION, NULL, "tone_words[%zu]%s must be a phrase with a word (or {phrase, suggestion?}),"
                 " at most %d bytes", i, bad, ASSIST_TONE_WORD_MAX);
            snprintf(f->field, sizeof f->field, "tone_words[%zu]%s", i, bad);
            return ERR_VALIDATION;
        }
    }
    return ERR_OK;
}

int assist_audit_settings(struct db *db, const char *field, json_t *value, int64_t actor_id, const char *ip)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    struct audit_entry e = {.actor_kind = "user", .actor_id = actor_id, .action = "settings.change",
                            .target_type = "settings", .field = field, .new_value = text, .ip = ip};
    int rc = audit_append(db, &e);
    free(text);
    return rc;
}

enum err assist_config_put(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], json_t *doc, int64_t actor_id,
                           const char *ip, struct failure *f)
{
    if (!json_is_object(doc))
        return fail(f, ERR_BAD_REQUEST, NULL, "the body must be a JSON object");
    enum err e = check(db, doc, f);
    if (e)
        return e;
    json_t *teams = json_object_get(doc, "category_teams"), *words = json_object_get(doc, "tone_words"), *v;
    json_t *llm = json_object_get(doc, "llm");
    const char *k;
    size_t i;
    int rc = db_begin(db);
    if (llm && rc >= 0)
        rc = assist_llm_put(db, key, llm, actor_id, ip);
    for (size_t s = 0; s < NSETTINGS && rc >= 0; s++) {
        json_t *m = json_object_get(doc, SETTINGS[s]->member);
        if (m)
            rc = put_setting(db, SETTINGS[s], m, actor_id, ip);
    }
    if (teams && rc >= 0) {
        rc = db_run(db, "DELETE FROM ai_category_teams", NULL);
        json_object_foreach(teams, k, v) {
            if (rc >= 0)
                rc = db_run(db, "INSERT INTO ai_category_teams (category, team_id) VALUES ($1, $2)", "ti", k,
                            (int64_t)json_integer_value(v));
        }
        if (rc >= 0)
            rc = assist_audit_settings(db, "ai.category_teams", teams, actor_id, ip);
    }
    if (words && rc >= 0) {
        rc = db_run(db, "DELETE FROM ai_tone_words", NULL);
        json_array_foreach(words, i, v) {
            json_t *p = json_is_string(v) ? v : json_object_get(v, "phrase"), *s = json_object_get(v, "suggestion");
            char *norm = normalize_phrase(json_string_value(p));
            if (rc >= 0)
                rc = db_run(db,
                            "INSERT INTO ai_tone_words (phrase, suggestion) VALUES ($1, $2)"
                            " ON CONFLICT (phrase) DO UPDATE SET suggestion = excluded.suggestion",
                            "tt", norm, json_string_value(s));
            free(norm);
        }
        if (rc >= 0)
            rc = assist_audit_settings(db, "ai.tone_words", words, actor_id, ip);
    }
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not save the AI settings: %s", db_errmsg(db));
    }
    return ERR_OK;
}

void assist_tone_words(struct db *db, struct arena *arena, struct tone_word **out, size_t *n)
{
    struct db_stmt *st = db_query(db, "SELECT phrase, suggestion FROM ai_tone_words LIMIT $1", "i",
                                  (int64_t)ASSIST_TONE_WORDS_MAX);
    *out = arena_calloc(arena, ASSIST_TONE_WORDS_MAX, sizeof **out);
    *n = 0;
    while (st && *n < ASSIST_TONE_WORDS_MAX && db_step(st) == DB_ROW) {
        (*out)[*n].phrase = arena_strdup(arena, db_col_text(st, 0));
        (*out)[*n].suggestion = db_col_null(st, 1) ? NULL : arena_strdup(arena, db_col_text(st, 1));
        (*n)++;
    }
    db_finalize(st);
}
