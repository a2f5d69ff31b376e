#include "util/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool set_int(int *out, const char *v, int min, int max, const char *name, char *err, size_t n)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < min || x > max) {
        snprintf(err, n, "%s must be a number from %d to %d, not '%s'", name, min, max, v);
        return false;
    }
    *out = (int)x;
    return true;
}

static bool set_str(char *out, size_t cap, const char *v, const char *name, char *err, size_t n)
{
    if (strlen(v) >= cap) {
        snprintf(err, n, "%s is too long", name);
        return false;
    }
    snprintf(out, cap, "%s", v);
    return true;
}

/* Applies one shared setting by name; *known is false when the name is not a shared one. */
static bool apply(struct config *c, const char *name, const char *v, bool *known, char *err, size_t n)
{
    *known = true;
    if (strcmp(name, "port") == 0)
        return set_int(&c->port, v, 0, 65535, "port", err, n);
    if (strcmp(name, "threads") == 0)
        return set_int(&c->threads, v, 0, 256, "threads", err, n);
    if (strcmp(name, "bind") == 0)
        return set_str(c->bind, sizeof c->bind, v, "bind", err, n);
    if (strcmp(name, "data") == 0)
        return set_str(c->data_dir, sizeof c->data_dir, v, "data", err, n);
    if (strcmp(name, "db") == 0)
        return set_str(c->db_url, sizeof c->db_url, v, "db", err, n);
    if (strcmp(name, "web") == 0)
        return set_str(c->web_dir, sizeof c->web_dir, v, "web", err, n);
    if (strcmp(name, "trusted-proxies") == 0)
        return set_str(c->trusted_proxies, sizeof c->trusted_proxies, v, "trusted-proxies", err, n);
    *known = false;
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        s[--len] = 0;
    return s;
}

/* Reads "key = value" lines; '#' starts a comment. Keys are the flag names. */
static bool load_file(struct config *c, const char *path, char *err, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, n, "cannot read config file %s", path);
        return false;
    }
    char line[2048];
    int lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, n, "%s:%d: expected 'key = value'", path, lineno);
            ok = false;
            break;
        }
        *eq = 0;
        bool known;
        char msg[256];
        ok = apply(c, trim(s), trim(eq + 1), &known, msg, sizeof msg);
        if (!ok)
            snprintf(err, n, "%s:%d: %s", path, lineno, msg);
        else if (!known) {
            snprintf(err, n, "%s:%d: unknown setting '%s'", path, lineno, trim(s));
            ok = false;
        }
    }
    fclose(f);
    return ok;
}

static const char *flag_name(const char *arg, char *buf, size_t cap, const char **inline_value)
{
    *inline_value = NULL;
    if (strncmp(arg, "--", 2) != 0 || !arg[2])
        return NULL;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, arg + 2, len);
    buf[len] = 0;
    if (eq)
        *inline_value = eq + 1;
    return buf;
}

bool config_load(struct config *c, int argc, char **argv, const struct config_opt *extra,
                 const char **pos, int maxpos, int *npos, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->port = 8080;
    snprintf(c->bind, sizeof c->bind, "0.0.0.0");
    snprintf(c->data_dir, sizeof c->data_dir, "parley-data");

    const char *file = getenv("PARLEY_CONFIG");
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            file = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            file = argv[i] + 9;
    }
    if (file && *file && !load_file(c, file, err, errlen))
        return false;

    static const char *const envs[][2] = {{"PARLEY_PORT", "port"}, {"PARLEY_DATA", "data"}, {"PARLEY_DB", "db"},
                                                {"PARLEY_TRUSTED_PROXIES", "trusted-proxies"}};
    for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++) {
        const char *v = getenv(envs[i][0]);
        bool known;
        if (v && *v && !apply(c, envs[i][1], v, &known, err, errlen))
            return false;
    }

    *npos = 0;
    for (int i = 0; i < argc; i++) {
        char name[64];
        const char *value;
        if (!flag_name(argv[i], name, sizeof name, &value)) {
            if (*npos >= maxpos) {
                snprintf(err, errlen, "unexpected argument '%s'", argv[i]);
                return false;
            }
            pos[(*npos)++] = argv[i];
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "--%s needs a value", name);
                return false;
            }
            value = argv[++i];
        }
        if (strcmp(name, "config") == 0)
            continue;
        bool known;
        if (!apply(c, name, value, &known, err, errlen))
            return false;
        for (const struct config_opt *o = extra; !known && o && o->name; o++) {
            if (strcmp(o->name, name) == 0) {
                *o->value = value;
                known = true;
            }
        }
        if (!known) {
            snprintf(err, errlen, "unknown option --%s", name);
            return false;
        }
    }
    return true;
}
