/* Logging to standard error, one line per event, safe from any thread. */
#ifndef PARLEY_UTIL_LOG_H
#define PARLEY_UTIL_LOG_H

/* Logs an informational line prefixed with the UTC time. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs an error line prefixed with the UTC time and "error:". */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
