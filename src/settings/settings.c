#include "settings/settings.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timeutil.h"

enum kind { K_INT, K_BOOL };

/* The schema of every setting: its path in the JSON document, type, bounds and default. */
struct spec {
    const char *group;      /* NULL for top-level keys */
    const char *key;
    enum kind kind;
    int min, max, def;
    size_t offset;
};

#define INT_AT(s, sp) ((int *)((char *)(s) + (sp)->offset))
#define BOOL_AT(s, sp) ((bool *)((char *)(s) + (sp)->offset))

static const struct spec specs[] = {
    {"rate_limits", "ticket_create_per_minute", K_INT, 1, 1000000, 60, offsetof(struct settings, ticket_create_per_minute)},
    {"rate_limits", "ticket_update_per_minute", K_INT, 1, 1000000, 120, offsetof(struct settings, ticket_update_per_minute)},
    {NULL, "allow_registration", K_BOOL, 0, 1, 1, offsetof(struct settings, allow_registration)},
    {NULL, "require_2fa_for_staff", K_BOOL, 0, 1, 0, offsetof(struct settings, require_2fa_for_staff)},
    {"sessions", "idle_minutes", K_INT, 5, 60 * 24 * 30, 12 * 60, offsetof(struct settings, session_idle_minutes)},
    {"sessions", "max_days", K_INT, 1, 365, 14, offsetof(struct settings, session_max_days)},
    {"ai", "auto_routing", K_BOOL, 0, 1, 0, offsetof(struct settings, ai_auto_routing)},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static void set_defaults(struct settings *s)
{
    for (size_t i = 0; i < NSPECS; i++) {
        if (specs[i].kind == K_INT)
            *INT_AT(s, &specs[i]) = specs[i].def;
        else
            *BOOL_AT(s, &specs[i]) = specs[i].def != 0;
    }
}

/* The stored key of a setting: "rate_limits.ticket_create_per_minute". */
static void full_key(const struct spec *sp, char *out, size_t cap)
{
    if (sp->group)
        snprintf(out, cap, "%s.%s", sp->group, sp->key);
    else
        snprintf(out, cap, "%s", sp->key);
}

static const struct spec *find(const char *key)
{
    for (size_t i = 0; i < NSPECS; i++) {
        char k[96];
        full_key(&specs[i], k, sizeof k);
        if (strcmp(k, key) == 0)
            return &specs[i];
    }
    return NULL;
}

static void apply_value(struct settings *s, const struct spec *sp, int v)
{
    if (sp->kind == K_INT)
        *INT_AT(s, sp) = v;
    else
        *BOOL_AT(s, sp) = v != 0;
}

static int load(struct db *db, struct settings *s)
{
    set_defaults(s);
    struct db_stmt *st = db_query(db, "SELECT key, value FROM settings", NULL);
    if (!st)
        return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const struct spec *sp = find(db_col_text(st, 0));
        if (sp)
            apply_value(s, sp, (int)strtol(db_col_text(st, 1), NULL, 10));
    }
    db_finalize(st);
    return rc;
}

void settings_cache_init(struct settings_cache *c)
{
    pthread_mutex_init(&c->lock, NULL);
    set_defaults(&c->cur);
    c->loaded_us = 0;
}

void settings_cache_destroy(struct settings_cache *c)
{
    pthread_mutex_destroy(&c->lock);
}

struct settings settings_get(struct settings_cache *c, struct db *db)
{
    int64_t now = time_mono_us();
    pthread_mutex_lock(&c->lock);
    struct settings s = c->cur;
    bool fresh = c->loaded_us && now - c->loaded_us < 2000000;
    pthread_mutex_unlock(&c->lock);
    if (fresh || !db)
        return s;
    struct settings loaded;
    if (load(db, &loaded) < 0)
        return s;
    pthread_mutex_lock(&c->lock);
    c->cur = loaded;
    c->loaded_us = now;
    pthread_mutex_unlock(&c->lock);
    return loaded;
}

json_t *settings_to_json(const struct settings *s)
{
    json_t *doc = json_object();
    for (size_t i = 0; i < NSPECS; i++) {
        const struct spec *sp = &specs[i];
        json_t *parent = doc;
        if (sp->group) {
            parent = json_object_get(doc, sp->group);
            if (!parent) {
                parent = json_object();
                json_object_set_new(doc, sp->group, parent);
            }
        }
        json_object_set_new(parent, sp->key,
                            sp->kind == K_INT ? json_integer(*INT_AT(s, sp)) : json_boolean(*BOOL_AT(s, sp)));
    }
    return doc;
}

struct change {
    const struct spec *sp;
    int value;
};

/* Validates one setting by its full key ("rate_limits.ticket_create_per_minute"). */
static enum err check_one(const char *key, json_t *v, struct change *out, struct failure *f)
{
    const struct spec *sp = find(key);
    if (!sp)
        return fail(f, ERR_VALIDATION, key, "unknown setting %s", key);
    out->sp = sp;
    if (sp->kind == K_BOOL) {
        if (!json_is_boolean(v))
            return fail(f, ERR_VALIDATION, key, "%s must be true or false", key);
        out->value = json_is_true(v);
        return ERR_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < sp->min || json_integer_value(v) > sp->max)
        return fail(f, ERR_VALIDATION, key, "%s must be a whole number from %d to %d", key, sp->min, sp->max);
    out->value = (int)json_integer_value(v);
    return ERR_OK;
}

/* Collects the changes a patch asks for (at most cap), validating every key. */
static enum err collect(json_t *patch, struct change *changes, size_t cap, size_t *n, struct failure *f)
{
    const char *k, *sub;
    json_t *v, *sv;
    enum err e = ERR_OK;
    *n = 0;
    json_object_foreach(patch, k, v) {
        if (json_is_object(v)) {
            json_object_foreach(v, sub, sv) {
                char full[128];
                snprintf(full, sizeof full, "%s.%s", k, sub);
                if (*n == cap)
                    return fail(f, ERR_VALIDATION, full, "too many settings in one request");
                if ((e = check_one(full, sv, &changes[(*n)++], f)))
                    return e;
            }
        } else {
            if (*n == cap)
                return fail(f, ERR_VALIDATION, k, "too many settings in one request");
            if ((e = check_one(k, v, &changes[(*n)++], f)))
                return e;
        }
    }
    return ERR_OK;
}

enum err settings_patch(struct settings_cache *c, struct db *db, json_t *patch, int64_t actor_id,
                        const char *ip, struct failure *f)
{
    struct change changes[NSPECS];
    size_t n = 0;
    if (!json_is_object(patch))
        return fail(f, ERR_BAD_REQUEST, NULL, "the body must be a JSON object of settings");
    enum err e = collect(patch, changes, NSPECS, &n, f);
    if (e)
        return e;
    struct settings before;
    if (db_begin(db) < 0 || load(db, &before) < 0)
        goto db_fail;
    for (size_t i = 0; i < n; i++) {
        const struct spec *sp = changes[i].sp;
        char key[96], old_v[16], new_v[16];
        full_key(sp, key, sizeof key);
        int old_int = sp->kind == K_INT ? *INT_AT(&before, sp) : *BOOL_AT(&before, sp);
        if (old_int == changes[i].value)
            continue;
        snprintf(old_v, sizeof old_v, "%d", old_int);
        snprintf(new_v, sizeof new_v, "%d", changes[i].value);
        if (db_run(db, "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                   "tti", key, new_v, time_now()) < 0)
            goto db_fail;
        struct audit_entry ae = {.actor_kind = "user", .actor_id = actor_id, .action = "settings.change",
                                 .target_type = "settings", .field = key, .old_value = old_v,
                                 .new_value = new_v, .ip = ip};
        if (audit_append(db, &ae) < 0)
            goto db_fail;
        apply_value(&before, sp, changes[i].value);
    }
    if (db_commit(db) < 0)
        goto db_fail;
    pthread_mutex_lock(&c->lock);
    c->cur = before;
    c->loaded_us = time_mono_us();
    pthread_mutex_unlock(&c->lock);
    return ERR_OK;
db_fail:
    db_rollback(db);
    return fail(f, ERR_INTERNAL, NULL, "could not save the settings: %s", db_errmsg(db));
}
