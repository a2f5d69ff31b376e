/* csv: an RFC 4180 reader over a buffer in memory, one record at a time.
 * Quoted fields may hold commas, CR/LF and doubled quotes; records end with
 * LF or CRLF (the last one may have no line end); a UTF-8 byte-order mark at
 * the start is skipped; an empty line is a record with one empty field.
 * The reader does not copy the input: it must outlive the reader. */
#ifndef PARLEY_UTIL_CSV_H
#define PARLEY_UTIL_CSV_H

#include <stddef.h>

enum csv_err {
    CSV_OK = 0,   /* a record was read */
    CSV_END,      /* no more records */
    CSV_EQUOTE,   /* a quoted field is never closed */
    CSV_EJUNK,    /* something other than , or a line end after a closing quote */
    CSV_EBAREQUOTE, /* a quote inside an unquoted field */
    CSV_ENOMEM,
};

typedef struct {
    const char *data;
    size_t len, pos;
    size_t line;     /* line number (from 1) at pos */
    size_t rec_line; /* line on which the last record (or error) started */
    size_t err_line; /* line of the last error */
    /* private: the fields of the last record, NUL-terminated, in buf */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *offs, *lens, offs_cap;
    const char **ptrs;
} csv_reader;

typedef struct {
    size_t n;             /* number of fields */
    const char *const *f; /* f[i] is field i, NUL-terminated (may hold NUL bytes: see len) */
    const size_t *len;    /* len[i] is the byte length of field i */
} csv_record;

/* Starts reading data[0..len); the reader holds no allocation until the first record. */
void csv_reader_init(csv_reader *r, const char *data, size_t len);

/* Reads the next record into *rec, whose pointers stay valid until the next
 * call or csv_reader_free(). Returns CSV_OK, CSV_END or an error; after an
 * error r->err_line is the line of the fault. */
int csv_read(csv_reader *r, csv_record *rec);

/* Frees what the reader allocated (not the input). */
void csv_reader_free(csv_reader *r);

/* A short English description of a csv_err value (static storage). */
const char *csv_strerror(int err);

#endif
