#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/timeutil.h"

static void emit(const char *level, const char *fmt, va_list ap)
{
    char ts[21], line[2048];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    if (n < 0)
        return;
    /* one fprintf call per line: stdio locks the stream, so lines from threads never interleave */
    fprintf(stderr, "%s %s%s\n", time_format(time_now(), ts), level, line);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("error: ", fmt, ap);
    va_end(ap);
}
