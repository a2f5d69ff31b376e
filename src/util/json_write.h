/* json_write: compact JSON text of a jansson value, several times faster than json_dumps (runs
 * of plain characters are copied whole, numbers formatted without printf for integers). The
 * output is UTF-8; '<', '>' and '&' are escaped as well, so the text is safe inside HTML. Keys
 * come in the object's own order, reals as jansson writes them ("%.17g", ".0" added to a whole
 * number). */
#ifndef PARLEY_UTIL_JSON_WRITE_H
#define PARLEY_UTIL_JSON_WRITE_H
#include <jansson.h>
#include <stdbool.h>

#include "util/strbuf.h"

/* Appends the JSON text of v to sb; false when sb's cap would be passed (sb then holds part). */
bool json_write(struct strbuf *sb, const json_t *v);

#endif
