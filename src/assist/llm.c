#include "assist/llm.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assist/config.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

static char *dup_or_abort(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

bool assist_llm_load(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], struct assist_llm *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(db, "SELECT base_url, model, api_key, timeout_seconds FROM ai_llm WHERE id = 1",
                                  NULL);
    if (!st || db_step(st) != DB_ROW) {
        db_finalize(st);
        return false;
    }
    bool ok = true;
    out->base_url = dup_or_abort(db_col_text(st, 0));
    out->model = dup_or_abort(db_col_text(st, 1));
    out->timeout_seconds = (int)db_col_int(st, 3);
    if (!db_col_null(st, 2) && !(out->api_key = crypto_open(key, db_col_text(st, 2), NULL))) {
        log_error("ai: the LLM API key cannot be opened with this data folder's secret key");
        ok = false;
    }
    db_finalize(st);
    if (!ok)
        assist_llm_free(out);
    return ok;
}

void assist_llm_free(struct assist_llm *c)
{
    free(c->base_url);
    free(c->model);
    if (c->api_key)
        sodium_memzero(c->api_key, strlen(c->api_key));
    free(c->api_key);
    memset(c, 0, sizeof *c);
}

json_t *assist_llm_get(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT base_url, model, timeout_seconds, api_key IS NOT NULL FROM ai_llm"
                                      " WHERE id = 1", NULL);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *out = rc == DB_ROW ? json_pack("{s:s, s:s, s:I, s:b}", "base_url", db_col_text(st, 0), "model",
                                           db_col_text(st, 1), "timeout_seconds", (json_int_t)db_col_int(st, 2),
                                           "has_api_key", db_col_int(st, 3) != 0)
                 : rc == DB_DONE ? json_null()
                                 : NULL;
    db_finalize(st);
    return out;
}

enum err assist_llm_check(json_t *llm, struct failure *f)
{
    if (json_is_null(llm))
        return ERR_OK;
    if (!json_is_object(llm))
        return fail(f, ERR_VALIDATION, "llm",
                    "llm must be an object {base_url, model, api_key?, timeout_seconds?} or null");
    json_t *url = json_object_get(llm, "base_url"), *model = json_object_get(llm, "model"),
           *k = json_object_get(llm, "api_key"), *t = json_object_get(llm, "timeout_seconds");
    const char *u = json_string_value(url);
    if (!u || strlen(u) > LLM_URL_MAX || (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) ||
        strlen(u) < 9 || strpbrk(u, " \r\n\t"))
        return fail(f, ERR_VALIDATION, "llm.base_url",
                    "llm.base_url must be an http:// or https:// URL of at most %d bytes", LLM_URL_MAX);
    if (!json_is_string(model) || !json_string_length(model) || json_string_length(model) > LLM_MODEL_MAX)
        return fail(f, ERR_VALIDATION, "llm.model", "llm.model must be a name of 1 to %d bytes", LLM_MODEL_MAX);
    if (k && !json_is_null(k) &&
        (!json_is_string(k) || json_string_length(k) > LLM_KEY_MAX || strpbrk(json_string_value(k), "\r\n")))
        return fail(f, ERR_VALIDATION, "llm.api_key", "llm.api_key must be a string of at most %d bytes or null",
                    LLM_KEY_MAX);
    if (t && (!json_is_integer(t) || json_integer_value(t) < 1 || json_integer_value(t) > LLM_TIMEOUT_MAX))
        return fail(f, ERR_VALIDATION, "llm.timeout_seconds",
                    "llm.timeout_seconds must be a whole number from 1 to %d", LLM_TIMEOUT_MAX);
    return ERR_OK;
}

int assist_llm_put(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], json_t *llm, int64_t actor_id,
                   const char *ip)
{
    int rc;
    json_t *shown;
    if (json_is_null(llm)) {
        rc = db_run(db, "DELETE FROM ai_llm", NULL);
        shown = json_null();
    } else {
        const char *url = json_string_value(json_object_get(llm, "base_url"));
        const char *model = json_string_value(json_object_get(llm, "model"));
        json_t *k = json_object_get(llm, "api_key"), *t = json_object_get(llm, "timeout_seconds");
        int64_t timeout = t ? (int64_t)json_integer_value(t) : LLM_TIMEOUT_MAX;
        if (k) {
            const char *plain = json_string_value(k);
            char *sealed = plain && *plain ? crypto_seal(key, plain, strlen(plain)) : NULL;
            rc = db_run(db,
                        "INSERT INTO ai_llm (id, base_url, model, api_key, timeout_seconds, updated_at)"
                        " VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url,"
                        " model = excluded.model, api_key = excluded.api_key,"
                        " timeout_seconds = excluded.timeout_seconds, updated_at = excluded.updated_at",
                        "tttii", url, model, sealed, timeout, time_now());
            free(sealed);
        } else {
            rc = db_run(db,
                        "INSERT INTO ai_llm (id, base_url, model, timeout_seconds, updated_at)"
                        " VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url,"
                        " model = excluded.model, timeout_seconds = excluded.timeout_seconds,"
                        " updated_at = excluded.updated_at",
                        "ttii", url, model, timeout, time_now());
        }
        const char *key_change = !k ? "kept" : json_is_string(k) && json_string_length(k) ? "set" : "removed";
        shown = json_pack("{s:s, s:s, s:I, s:s}", "base_url", url, "model", model, "timeout_seconds",
                          (json_int_t)timeout, "api_key", key_change);
    }
    if (rc >= 0)
        rc = assist_audit_settings(db, "ai.llm", shown, actor_id, ip);
    json_decref(shown);
    return rc;
}

/* Gathers the answer's body, refusing more than LLM_RESPONSE_MAX bytes (the transfer stops). */
static size_t on_data(char *p, size_t size, size_t n, void *userp)
{
    return strbuf_add(userp, p, size * n) ? size * n : 0;
}

/* The first choice's text of a chat completion (borrowed from doc), or NULL. */
static const char *choice_text(json_t *doc)
{
    json_t *choice = json_array_get(json_object_get(doc, "choices"), 0);
    return json_string_value(json_object_get(json_object_get(choice, "message"), "content"));
}

bool assist_llm_chat(const struct assist_llm *c, const char *system, const char *user, char **reply, char *why,
                     size_t whylen)
{
    *reply = NULL;
    json_t *req = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:f, s:b}", "model", c->model, "messages", "role",
                            "system", "content", system, "role", "user", "content", user, "temperature", 0.2,
                            "stream", 0);
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    char url[LLM_URL_MAX + 32], auth[LLM_KEY_MAX + 32];
    size_t ulen = strlen(c->base_url);
    while (ulen && c->base_url[ulen - 1] == '/')
        ulen--;
    snprintf(url, sizeof url, "%.*s/chat/completions", (int)ulen, c->base_url);
    struct strbuf out;
    strbuf_init(&out, LLM_RESPONSE_MAX);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (c->api_key) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->api_key);
        headers = curl_slist_append(headers, auth);
    }
    CURL *h = curl_easy_init();
    bool ok = false;
    if (!h || !body || !headers) {
        snprintf(why, whylen, "out of memory");
        goto done;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)LLM_CONNECT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout_seconds > 0 && c->timeout_seconds <= LLM_TIMEOUT_MAX
                                                       ? c->timeout_seconds : LLM_TIMEOUT_MAX) * 1000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        snprintf(why, whylen, "%s", cc == CURLE_WRITE_ERROR ? "the answer is too big" : curl_easy_strerror(cc));
        goto done;
    }
    if (status != 200) {
        snprintf(why, whylen, "the provider answered HTTP %ld", status);
        goto done;
    }
    json_t *doc = json_loadb(out.data ? out.data : "", out.len, 0, NULL);
    const char *text = choice_text(doc);
    size_t len = text ? strlen(text) : 0;
    while (len && strchr(" \t\r\n", text[len - 1]))
        len--;
    if (!len) {
        snprintf(why, whylen, "the answer is not a chat completion");
    } else {
        if (len > LLM_REPLY_MAX)
            len = LLM_REPLY_MAX;
        while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* cut on a character boundary */
        if (!(*reply = strndup(text, len)))
            abort();
        ok = true;
    }
    json_decref(doc);
done:
    if (h)
        curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    strbuf_free(&out);
    free(body);
    return ok;
}
