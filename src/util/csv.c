/* csv: RFC 4180 record reader. */
#include "util/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void csv_reader_init(csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->line = 1;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        r->pos = 3;
}

void csv_reader_free(csv_reader *r)
{
    free(r->buf);
    free(r->offs);
    free(r->lens);
    free(r->ptrs);
    r->buf = NULL;
    r->offs = r->lens = NULL;
    r->ptrs = NULL;
    r->buf_cap = r->offs_cap = 0;
}

const char *csv_strerror(int err)
{
    switch (err) {
    case CSV_OK: return "ok";
    case CSV_END: return "end of input";
    case CSV_EQUOTE: return "quoted field not closed";
    case CSV_EJUNK: return "unexpected character after a closing quote";
    case CSV_EBAREQUOTE: return "quote inside an unquoted field";
    case CSV_ENOMEM: return "out of memory";
    }
    return "unknown error";
}

static int put(csv_reader *r, const char *p, size_t n)
{
    if (r->buf_len + n + 1 > r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap : 256;
        char *nb;
        while (cap < r->buf_len + n + 1) {
            if (cap > SIZE_MAX / 2)
                return CSV_ENOMEM;
            cap *= 2;
        }
        nb = realloc(r->buf, cap);
        if (!nb)
            return CSV_ENOMEM;
        r->buf = nb;
        r->buf_cap = cap;
    }
    memcpy(r->buf + r->buf_len, p, n);
    r->buf_len += n;
    return CSV_OK;
}

/* Ends the current field, which started at buf offset `start`. */
static int end_field(csv_reader *r, size_t nfields, size_t start)
{
    if (nfields >= r->offs_cap) {
        size_t cap = r->offs_cap ? r->offs_cap * 2 : 8;
        size_t *no = realloc(r->offs, cap * sizeof *no), *nl;
        const char **np;
        if (!no)
            return CSV_ENOMEM;
        r->offs = no;
        nl = realloc(r->lens, cap * sizeof *nl);
        if (!nl)
            return CSV_ENOMEM;
        r->lens = nl;
        np = realloc(r->ptrs, cap * sizeof *np);
        if (!np)
            return CSV_ENOMEM;
        r->ptrs = np;
        r->offs_cap = cap;
    }
    r->offs[nfields] = start;
    r->lens[nfields] = r->buf_len - start;
    return put(r, "", 1); /* the terminating NUL */
}

/* Reads a quoted field whose opening quote is at r->pos. */
static int quoted(csv_reader *r)
{
    size_t i = r->pos + 1, run = i;
    int rc;
    for (;;) {
        if (i >= r->len)
            return CSV_EQUOTE;
        if (r->data[i] == '\n')
            r->line++;
        if (r->data[i] != '"') {
            i++;
            continue;
        }
        if ((rc = put(r, r->data + run, i - run)) != CSV_OK)
            return rc;
        if (i + 1 < r->len && r->data[i + 1] == '"') {
            run = i + 1; /* keep one quote of the pair */
            i += 2;
            continue;
        }
        r->pos = i + 1;
        return CSV_OK;
    }
}

int csv_read(csv_reader *r, csv_record *rec)
{
    size_t nfields = 0, start;
    int rc = CSV_OK;
    rec->n = 0;
    if (r->pos >= r->len)
        return CSV_END;
    r->rec_line = r->line;
    r->buf_len = 0;
    for (;;) {
        start = r->buf_len;
        if (r->pos < r->len && r->data[r->pos] == '"') {
            size_t open_line = r->line;
            if ((rc = quoted(r)) != CSV_OK) {
                r->err_line = rc == CSV_EQUOTE ? open_line : r->line;
                goto done;
            }
            if (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' &&
                !(r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n') &&
                !(r->data[r->pos] == '\r' && r->pos + 1 == r->len)) {
                rc = CSV_EJUNK;
                r->err_line = r->line;
                goto done;
            }
        } else {
            size_t i = r->pos, e;
            while (i < r->len && r->data[i] != ',' && r->data[i] != '\n' && r->data[i] != '"')
                i++;
            if (i < r->len && r->data[i] == '"') {
                rc = CSV_EBAREQUOTE;
                r->err_line = r->line;
                goto done;
            }
            /* a CR just before LF (or at the very end) belongs to the line end */
            e = i;
            if (e > r->pos && r->data[e - 1] == '\r' && (e == r->len || r->data[e] == '\n'))
                e--;
            if ((rc = put(r, r->data + r->pos, e - r->pos)) != CSV_OK)
                goto done;
            r->pos = i;
        }
        if ((rc = end_field(r, nfields, start)) != CSV_OK)
            goto done;
        nfields++;
        if (r->pos < r->len && r->data[r->pos] == ',') {
            r->pos++;
            continue;
        }
        /* line end or end of input */
        if (r->pos < r->len && r->data[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->len && r->data[r->pos] == '\n') {
            r->pos++;
            r->line++;
        }
        break;
    }
done:
    if (rc != CSV_OK) {
        r->pos = r->len; /* no resynchronising after malformed input */
        return rc;
    }
    /* field pointers are taken only now: buf may have moved while growing */
    for (size_t k = 0; k < nfields; k++)
        r->ptrs[k] = r->buf + r->offs[k];
    rec->n = nfields;
    rec->f = r->ptrs;
    rec->len = r->lens;
    return CSV_OK;
}
