/* tone: style checks of a reply before it is sent — blame and negative phrasing, shouting,
 * a missing greeting or closing, over-long sentences and words an admin listed. Pure: text in,
 * findings with byte spans out. Word lists exist per language (en, de, fr, es); other languages
 * get the language-independent checks and the admin's words. */
#ifndef PARLEY_AI_TONE_H
#define PARLEY_AI_TONE_H
#include <stdbool.h>
#include <stddef.h>

enum tone_kind {
    TONE_BLAME,         /* "your fault", "as I already said" */
    TONE_NEGATIVE,      /* "unfortunately", "impossible" */
    TONE_SHOUTING,      /* runs of ALL CAPS words, "!!" */
    TONE_NO_GREETING,
    TONE_NO_CLOSING,
    TONE_LONG_SENTENCE,
    TONE_LISTED_WORD,   /* a word or phrase from the admin's list */
};

/* Sentences with more words than this are over-long. */
#define TONE_LONG_SENTENCE_WORDS 35
/* Findings kept at most (the rest are dropped; the score still counts them). */
#define TONE_MAX_FINDINGS 64

/* A word or phrase to flag (lower-case words separated by single spaces) and what to write
 * instead (NULL: nothing suggested). */
struct tone_word {
    const char *phrase, *suggestion;
};

struct tone_finding {
    enum tone_kind kind;
    size_t start, end;          /* byte span in the text; start == end for a missing part */
    const char *message;        /* static English text */
    const char *suggestion;     /* static, or the admin word's; NULL when none */
};

struct tone_result {
    struct tone_finding items[TONE_MAX_FINDINGS]; /* in text order */
    size_t n;
    int score;                  /* 100: nothing to say; each finding costs by kind; at least 0 */
    const char *language;       /* the word lists used ("en" when lang had none); static */
};

/* Checks text[0..len) written in lang (ISO 639-1; NULL or unknown: English lists) against the
 * built-in lists and words[0..nwords) into *out. Returns 0, or -1 when out of memory. Suggestions
 * of words[] point into words: keep them alive while out is used. */
int tone_check(const char *text, size_t len, const char *lang, const struct tone_word *words, size_t nwords,
               struct tone_result *out);
/* The API name of a kind ("blame", "shouting", …); static. */
const char *tone_kind_name(enum tone_kind k);
/* True when lang has built-in word lists. */
bool tone_has_language(const char *lang);

#endif
