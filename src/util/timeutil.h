/* Wall-clock and monotonic time, and RFC 3339 formatting/parsing (UTC). */
#ifndef PARLEY_UTIL_TIMEUTIL_H
#define PARLEY_UTIL_TIMEUTIL_H
#include <stdbool.h>
#include <stdint.h>

/* Seconds since the Unix epoch. */
int64_t time_now(void);
/* Microseconds from a monotonic clock, for measuring durations. */
int64_t time_mono_us(void);
/* Writes t as "2026-11-25T01:43:02Z" into out (at least 21 bytes); returns out. */
char *time_format(int64_t t, char out[21]);
/* Parses an RFC 3339 date-time (Z or ±hh:mm offset) into epoch seconds; false when malformed. */
bool time_parse(const char *s, int64_t *t);

#endif
