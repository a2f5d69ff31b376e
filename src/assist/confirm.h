/* The reply rules of automated resolution: does a customer's reply to the AI's automated answer
 * only thank or confirm that it worked ("thanks, that worked", "danke, das hat geholfen",
 * "merci ça marche")? Offline word lists in en, de, fr, es, nl, it and pt, conservative: any
 * doubt means "needs a person". Pure: no SQL, no state. The rules are listed in docs/ai.md. */
#ifndef PARLEY_ASSIST_CONFIRM_H
#define PARLEY_ASSIST_CONFIRM_H
#include <stdbool.h>

#define ASSIST_CONFIRM_WORDS_MAX 20 /* a longer reply says more than "thanks" */

/* True when text (UTF-8; lines quoted with '>' are skipped) is short, asks nothing, has a thanks
 * or "it works" word and no negation, problem, question, request or "later" word; false for
 * anything else (a person reads it). */
bool assist_reply_confirms(const char *text);

#endif
