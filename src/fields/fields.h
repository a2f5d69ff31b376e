/* Custom ticket fields defined by admins (text, number, date, select, multiselect, checkbox),
 * and the validation of their values on every ticket write. */
#ifndef PARLEY_FIELDS_FIELDS_H
#define PARLEY_FIELDS_FIELDS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "users/users.h"
#include "util/error.h"

#define FIELD_TEXT_MAX 10000

/* Creates a field from its definition {key, label, type, options?, required?, customer_visible?,
 * customer_editable?}; 422 naming the bad member; audited. */
enum err fields_create(struct db *db, const struct actor *by, json_t *def, int64_t *id, struct failure *f);
/* Changes label, options, required, customer_visible, customer_editable of a field. */
enum err fields_update(struct db *db, const struct actor *by, int64_t id, json_t *def, struct failure *f);
/* Deletes a field definition (values already stored on tickets stay in their JSON). */
enum err fields_delete(struct db *db, const struct actor *by, int64_t id);
/* Every field definition in order, as API objects. */
json_t *fields_list(struct db *db);
/* One field definition, or NULL (*e says why). */
json_t *fields_get(struct db *db, int64_t id, enum err *e);
/* Validates the values a write sets (an object key → value) against the definitions and merges
 * them into current (an object, changed in place; null removes a value). as_customer limits it to
 * customer-editable fields; creating also checks that required fields end up set. */
enum err fields_apply(struct db *db, json_t *current, json_t *values, bool as_customer, bool creating,
                      struct failure *f);
/* A copy of stored values without the fields customers may not see (for customer views). */
json_t *fields_visible(struct db *db, json_t *values);

#endif
