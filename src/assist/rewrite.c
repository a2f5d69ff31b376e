#include "assist/rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assist/llm.h"
#include "util/strbuf.h"

/* The prompt's user message: the findings, the words to avoid and the reply (caller frees). */
static char *prompt(const char *text, const struct tone_result *res, const struct tone_word *words, size_t nwords)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_adds(&sb, "Problems found in the reply:\n");
    for (size_t i = 0; i < res->n; i++) {
        const struct tone_finding *t = &res->items[i];
        strbuf_addf(&sb, "- %s: %s", tone_kind_name(t->kind), t->message);
        if (t->end > t->start)
            strbuf_addf(&sb, " (\"%.*s\")", (int)(t->end - t->start), text + t->start);
        if (t->suggestion)
            strbuf_addf(&sb, "; suggestion: %s", t->suggestion);
        strbuf_addc(&sb, '\n');
    }
    if (!res->n)
        strbuf_adds(&sb, "- none\n");
    if (nwords) {
        strbuf_adds(&sb, "\nWords and phrases to avoid:\n");
        for (size_t i = 0; i < nwords; i++) {
            if (words[i].suggestion)
                strbuf_addf(&sb, "- %s (say instead: %s)\n", words[i].phrase, words[i].suggestion);
            else
                strbuf_addf(&sb, "- %s\n", words[i].phrase);
        }
    }
    strbuf_adds(&sb, "\nThe reply:\n");
    strbuf_adds(&sb, text);
    return strbuf_take(&sb, NULL);
}

bool assist_tone_rewrite(struct db *db, const uint8_t key[CRYPTO_KEY_BYTES], const char *text, const char *lang,
                         const struct tone_result *res, const struct tone_word *words, size_t nwords, char **out,
                         char *why, size_t whylen)
{
    if (strlen(text) > ASSIST_REWRITE_TEXT_MAX) {
        snprintf(why, whylen, "the text is too long to rewrite (at most %d bytes)", ASSIST_REWRITE_TEXT_MAX);
        return false;
    }
    struct assist_llm llm;
    if (!assist_llm_load(db, key, &llm)) {
        snprintf(why, whylen, "no LLM is configured");
        return false;
    }
    char system[700];
    snprintf(system, sizeof system,
             "You are a helpdesk's style editor. Rewrite the support agent's reply you are given in a friendly, "
             "professional house style: keep its meaning, facts, links and Markdown; fix the problems listed; no "
             "blame, no shouting, positive wording; a greeting at the start and a closing at the end; short "
             "sentences. Write in the language with ISO 639-1 code '%s'. Reply with the rewritten text only.",
             lang && *lang ? lang : "en");
    char *user = prompt(text, res, words, nwords);
    bool ok = assist_llm_chat(&llm, system, user, out, why, whylen);
    free(user);
    assist_llm_free(&llm);
    return ok;
}
