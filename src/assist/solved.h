/* Past solved tickets as evidence for suggested replies (to agents only): an in-memory index
 * (ai/retriever.h) of the recent tickets in a solved or closed status that have a public reply
 * by staff, searched by what their requester wrote (subject and public messages; internal notes
 * are never read). Kept in step with the tickets table by the periodic job. */
#ifndef PARLEY_ASSIST_SOLVED_H
#define PARLEY_ASSIST_SOLVED_H
#include <stddef.h>
#include <stdint.h>

#include "ai/retriever.h"
#include "store/db.h"

struct assist_solved;

/* An empty index; the caller owns it (assist_solved_free). */
struct assist_solved *assist_solved_new(void);
/* Frees the index (NULL is fine); no search may be running. */
void assist_solved_free(struct assist_solved *s);
/* Adds the tickets that became solved since the last call and removes those that were reopened,
 * merged or lost their staff reply: the periodic job's part, on one thread. The first calls load
 * the solved ones among the newest 20,000 changed tickets, 10,000 a call; when more than a fifth
 * more have been solved since, the index is rebuilt from that window. Errors are logged. */
void assist_solved_sync(struct assist_solved *s, struct db *db);
/* The best past tickets for query (in language lang first, then any), ticket `exclude` left out,
 * into hits[0..k); the count. */
size_t assist_solved_search(struct assist_solved *s, const char *query, const char *lang, int64_t exclude,
                            retr_hit *hits, size_t k);
/* The newest public reply by staff on ticket_id into *reply, its subject into *subject and its
 * language ("" when unknown) into *lang, all the caller's to free; false when there is none. */
bool assist_solved_answer(struct db *db, int64_t ticket_id, char **reply, char **subject, char **lang);

#endif
