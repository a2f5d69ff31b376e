#include "util/json_write.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool write_integer(struct strbuf *sb, json_int_t v)
{
    char buf[24], *end = buf + sizeof buf, *p = end;
    /* through unsigned, so the most negative value has a magnitude too */
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        *--p = '-';
    return strbuf_add(sb, p, (size_t)(end - p));
}

static bool write_real(struct strbuf *sb, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.17g", v);
    if (n <= 0 || (size_t)n >= sizeof buf - 2)
        return false;
    if (!strpbrk(buf, ".eE")) {
        buf[n++] = '.';
        buf[n++] = '0';
    }
    return strbuf_add(sb, buf, (size_t)n);
}

bool json_write(struct strbuf *sb, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        bool ok = strbuf_addc(sb, '{'), first = true;
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member) {
            ok = ok && (first || strbuf_addc(sb, ',')) && strbuf_add_json_string(sb, key) && strbuf_addc(sb, ':') &&
                 json_write(sb, member);
            first = false;
        }
        return ok && strbuf_addc(sb, '}');
    }
    case JSON_ARRAY: {
        bool ok = strbuf_addc(sb, '[');
        for (size_t i = 0, n = json_array_size(v); ok && i < n; i++)
            ok = (i == 0 || strbuf_addc(sb, ',')) && json_write(sb, json_array_get(v, i));
        return ok && strbuf_addc(sb, ']');
    }
    case JSON_STRING: return strbuf_add_json_stringn(sb, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: return write_integer(sb, json_integer_value(v));
    case JSON_REAL: return write_real(sb, json_real_value(v));
    case JSON_TRUE: return strbuf_add(sb, "true", 4);
    case JSON_FALSE: return strbuf_add(sb, "false", 5);
    default: return strbuf_add(sb, "null", 4);
    }
}
