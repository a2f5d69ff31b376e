/* language: which language a text is written in, by libexttextcat's n-gram fingerprints
 * (Cavnar & Trenkle), answering an ISO 639-1 code.
 *
 * The fingerprints are read once from a directory of .lm files (Debian's libexttextcat-data:
 * /usr/share/libexttextcat) for a chosen set of languages; after that a detector is read-only,
 * so any number of threads may call lang_detect on it at once (each call builds its own
 * fingerprint of the text). Only the first LANG_SAMPLE_BYTES of a text are looked at, so a
 * megabyte costs what a page does. */
#ifndef PARLEY_AI_LANGUAGE_H
#define PARLEY_AI_LANGUAGE_H
#include <stddef.h>

/* Where Debian installs the fingerprints. */
#define LANG_DEFAULT_DIR "/usr/share/libexttextcat"
/* Bytes of a text that are classified (a few hundred suffice; cut on a UTF-8 boundary). */
#define LANG_SAMPLE_BYTES 1024
/* Letters a text needs before a guess is made. */
#define LANG_MIN_LETTERS 12

struct lang_detector;

/* The result of lang_detect. */
struct lang_guess {
    char code[4];       /* ISO 639-1 ("en"), "" when unknown (too short, no letters, undecided) */
    float margin;       /* how far the runner-up is behind: (second − best) / best, 0..; 0 when unknown */
};

/* Loads the fingerprints of the languages in codes[0..n) (ISO 639-1; NULL: the built-in set of
 * about 45 languages a helpdesk meets, those with Snowball stemmers first) from dir. Returns NULL
 * when none can be read. The caller owns it: lang_close. */
struct lang_detector *lang_open(const char *dir, const char *const *codes, size_t n);
/* Frees a detector (NULL is fine). */
void lang_close(struct lang_detector *d);
/* Number of languages the detector knows. */
size_t lang_count(const struct lang_detector *d);
/* Guesses the language of text[0..len) (any bytes: invalid UTF-8 and binary are tolerated) into
 * *out. Thread-safe. */
void lang_detect(const struct lang_detector *d, const char *text, size_t len, struct lang_guess *out);

#endif
