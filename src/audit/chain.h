/* The audit log's hash chain: the hash of an entry, linking entries after the fact
 * (PostgreSQL), verifying the chain. Internal to src/audit. */
#ifndef PARLEY_AUDIT_CHAIN_H
#define PARLEY_AUDIT_CHAIN_H
#include "audit/audit.h"

/* the "previous hash" of the first entry */
#define CHAIN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The hash (hex) of entry e written at `at`, given the previous entry's hash; e's target_type
 * and ip are "" when absent, its ids 0. */
void chain_hash(const char *prev, int64_t at, const struct audit_entry *e, char out[65]);

#endif
