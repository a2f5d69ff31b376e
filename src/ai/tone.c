#include "ai/tone.h"

#include <stdlib.h>
#include <string.h>

#include "ai/text.h"

/* A phrase of a built-in list: lower-case words separated by single spaces. */
struct phrase {
    const char *text, *suggestion;
};

struct lists {
    const char *code;
    const struct phrase *blame, *negative; /* ended by {NULL} */
    const char *const *greetings, *const *closings; /* ended by NULL */
    const char *greeting_suggestion, *closing_suggestion;
};

static const struct phrase en_blame[] = {
    {"your fault", "let's sort this out together"},
    {"you should have", "next time it helps to"},
    {"you failed to", "it looks like this step was missed:"},
    {"you forgot to", "it looks like this step was missed:"},
    {"you didn't read", "as described in"},
    {"as i already said", "to recap"},
    {"as i said before", "to recap"},
    {"as already mentioned", "to recap"},
    {"obviously", NULL},
    {"not our fault", "here is what happened"},
    {"not our problem", "here is what we can do"},
    {"not my job", "let me find the right person"},
    {"you were supposed to", "the next step is to"},
    {"why didn't you", "could you"},
    {NULL, NULL},
};
static const struct phrase en_negative[] = {
    {"unfortunately", "what we can do is"},
    {"impossible", "not possible right now, but"},
    {"we can't", "what we can do is"},
    {"we cannot", "what we can do is"},
    {"i don't know", "let me find out"},
    {"no idea", "let me find out"},
    {"calm down", "I understand this is frustrating"},
    {"you're wrong", "let me clarify"},
    {"that's wrong", "let me clarify"},
    {"no way", NULL},
    {NULL, NULL},
};
static const char *const en_greetings[] = {"hi", "hello", "hey", "dear", "good morning", "good afternoon",
                                           "good evening", "greetings", "thanks for reaching out",
                                           "thank you for contacting", NULL};
static const char *const en_closings[] = {"regards", "best", "cheers", "sincerely", "thanks", "thank you",
                                          "best wishes", "kind regards", "all the best", "take care",
                                          "have a great day", "have a nice day", NULL};

static const struct phrase de_blame[] = {
    {"ihr fehler", "lassen Sie uns das gemeinsam lösen"},
    {"ihre schuld", "lassen Sie uns das gemeinsam lösen"},
    {"sie hätten", "beim nächsten Mal hilft es,"},
    {"sie haben vergessen", "es scheint, dieser Schritt fehlt:"},
    {"wie bereits gesagt", "zur Erinnerung"},
    {"wie schon gesagt", "zur Erinnerung"},
    {"offensichtlich", NULL},
    {"nicht unser problem", "das können wir tun:"},
    {"nicht unsere schuld", "das ist passiert:"},
    {NULL, NULL},
};
static const struct phrase de_negative[] = {
    {"leider", "gerne prüfen wir"},
    {"unmöglich", "derzeit nicht möglich, aber"},
    {"das geht nicht", "was wir tun können:"},
    {"keine ahnung", "ich finde es für Sie heraus"},
    {"beruhigen sie sich", "ich verstehe Ihren Ärger"},
    {"nicht zuständig", "ich leite Sie an die richtige Stelle weiter"},
    {NULL, NULL},
};
static const char *const de_greetings[] = {"hallo", "guten tag", "guten morgen", "guten abend", "sehr geehrte",
                                           "sehr geehrter", "liebe", "lieber", "hi", "moin", "servus", NULL};
static const char *const de_closings[] = {"mit freundlichen grüßen", "freundliche grüße", "viele grüße",
                                          "beste grüße", "liebe grüße", "grüße", "vielen dank", "danke",
                                          "mfg", NULL};

static const struct phrase fr_blame[] = {
    {"votre faute", "trouvons une solution ensemble"},
    {"vous auriez dû", "la prochaine fois, il suffit de"},
    {"vous avez oublié", "il semble que cette étape manque :"},
    {"comme déjà dit", "pour rappel"},
    {"comme je l'ai déjà dit", "pour rappel"},
    {"évidemment", NULL},
    {"pas notre problème", "voici ce que nous pouvons faire"},
    {"pas de notre faute", "voici ce qui s'est passé"},
    {NULL, NULL},
};
static const struct phrase fr_negative[] = {
    {"malheureusement", "nous pouvons en revanche"},
    {"impossible", "pas possible pour l'instant, mais"},
    {"aucune idée", "je me renseigne pour vous"},
    {"ce n'est pas possible", "voici ce que nous pouvons faire"},
    {"calmez vous", "je comprends votre frustration"},
    {NULL, NULL},
};
static const char *const fr_greetings[] = {"bonjour", "bonsoir", "salut", "cher", "chère", "madame", "monsieur",
                                           NULL};
static const char *const fr_closings[] = {"cordialement", "bien cordialement", "salutations", "bonne journée",
                                          "merci", "bien à vous", "à bientôt", NULL};

static const struct phrase es_blame[] = {
    {"su culpa", "resolvámoslo juntos"},
    {"usted debería haber", "la próxima vez ayuda"},
    {"debería haber", "la próxima vez ayuda"},
    {"usted olvidó", "parece que falta este paso:"},
    {"como ya dije", "para recapitular"},
    {"como ya le dije", "para recapitular"},
    {"obviamente", NULL},
    {"no es nuestro problema", "esto es lo que podemos hacer"},
    {"no es nuestra culpa", "esto es lo que pasó"},
    {NULL, NULL},
};
static const struct phrase es_negative[] = {
    {"lamentablemente", "lo que sí podemos hacer es"},
    {"desafortunadamente", "lo que sí podemos hacer es"},
    {"imposible", "no es posible por ahora, pero"},
    {"ni idea", "lo averiguo para usted"},
    {"no se puede", "lo que sí podemos hacer es"},
    {"cálmese", "entiendo su frustración"},
    {NULL, NULL},
};
static const char *const es_greetings[] = {"hola", "buenos días", "buenas tardes", "buenas noches", "estimado",
                                           "estimada", "querido", "querida", NULL};
static const char *const es_closings[] = {"saludos", "un saludo", "atentamente", "cordialmente", "gracias",
                                          "muchas gracias", "un cordial saludo", NULL};

static const struct lists all_lists[] = {
    {"en", en_blame, en_negative, en_greetings, en_closings, "Hello,", "Best regards,"},
    {"de", de_blame, de_negative, de_greetings, de_closings, "Guten Tag,", "Mit freundlichen Grüßen"},
    {"fr", fr_blame, fr_negative, fr_greetings, fr_closings, "Bonjour,", "Cordialement,"},
    {"es", es_blame, es_negative, es_greetings, es_closings, "Hola,", "Saludos cordiales,"},
};

/* What each kind costs the score, and its message. */
static const struct {
    const char *name, *message;
    int cost;
} kinds[] = {
    [TONE_BLAME] = {"blame", "This sounds like blaming the customer.", 15},
    [TONE_NEGATIVE] = {"negative", "Negative phrasing: say what can be done instead.", 5},
    [TONE_SHOUTING] = {"shouting", "All capitals or repeated exclamation marks read as shouting.", 10},
    [TONE_NO_GREETING] = {"missing_greeting", "The reply does not start with a greeting.", 5},
    [TONE_NO_CLOSING] = {"missing_closing", "The reply does not end with a closing.", 5},
    [TONE_LONG_SENTENCE] = {"long_sentence", "This sentence is long: split it.", 5},
    [TONE_LISTED_WORD] = {"listed_word", "Your team asked to avoid this wording.", 10},
};

const char *tone_kind_name(enum tone_kind k)
{
    return kinds[k].name;
}

static const struct lists *lists_for(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof all_lists / sizeof all_lists[0]; i++)
        if (strcmp(all_lists[i].code, lang) == 0)
            return &all_lists[i];
    return NULL;
}

bool tone_has_language(const char *lang)
{
    return lists_for(lang) != NULL;
}

static void add(struct tone_result *out, enum tone_kind k, size_t start, size_t end, const char *suggestion)
{
    out->score -= kinds[k].cost;
    if (out->n == TONE_MAX_FINDINGS)
        return;
    out->items[out->n++] = (struct tone_finding){k, start, end, kinds[k].message, suggestion};
}

/* Number of tokens phrase matches at token i (0 when it does not). */
static size_t match_at(const text_tokens *tt, size_t i, const char *phrase)
{
    size_t k = 0;
    const char *p = phrase;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t wlen = sp ? (size_t)(sp - p) : strlen(p);
        if (i + k >= tt->n || tt->tok[i + k].norm_len != wlen || memcmp(tt->tok[i + k].norm, p, wlen) != 0)
            return 0;
        k++;
        p += wlen + (sp != NULL);
    }
    return k;
}

/* Flags every occurrence of the phrases. */
static void find_phrases(const text_tokens *tt, const struct phrase *list, enum tone_kind kind,
                         struct tone_result *out)
{
    for (size_t i = 0; i < tt->n; i++)
        for (const struct phrase *p = list; p->text; p++) {
            size_t m = match_at(tt, i, p->text);
            if (m) {
                add(out, kind, tt->tok[i].start, tt->tok[i + m - 1].end, p->suggestion);
                break;
            }
        }
}

/* True when one of the phrases occurs among tokens [from, to). */
static bool any_phrase(const text_tokens *tt, size_t from, size_t to, const char *const *list)
{
    for (size_t i = from; i < to; i++)
        for (const char *const *p = list; *p; p++)
            if (match_at(tt, i, *p))
                return true;
    return false;
}

/* True when a word is written in capitals only (at least two letters). */
static bool all_caps(const char *text, const text_token *t)
{
    size_t i = t->start, letters = 0;
    while (i < t->end) {
        int32_t cp = text_utf8_next(text, t->end, &i);
        if (cp < 0 || !text_is_word_char(cp) || (cp >= '0' && cp <= '9'))
            continue;
        if (text_lower(cp) == cp)
            return false;
        letters++;
    }
    return letters >= 2;
}

/* Runs of capitalised words (three or more, or two with 8+ letters) and "!!". */
static void find_shouting(const char *text, size_t len, const text_tokens *tt, struct tone_result *out)
{
    for (size_t i = 0; i < tt->n;) {
        size_t j = i, letters = 0;
        while (j < tt->n && all_caps(text, &tt->tok[j])) {
            letters += tt->tok[j].end - tt->tok[j].start;
            j++;
        }
        if (j - i >= 3 || (j - i == 2 && letters >= 8))
            add(out, TONE_SHOUTING, tt->tok[i].start, tt->tok[j - 1].end, NULL);
        i = j > i ? j : i + 1;
    }
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '!' || text[i + 1] != '!')
            continue;
        size_t j = i;
        while (j < len && text[j] == '!')
            j++;
        add(out, TONE_SHOUTING, i, j, "!");
        i = j;
    }
}

/* Sentences end at . ! ? followed by a space or the end, and at blank lines. */
static void find_long_sentences(const char *text, size_t len, const text_tokens *tt, struct tone_result *out)
{
    size_t first = 0;
    for (size_t i = 0; i < tt->n; i++) {
        size_t gap_end = i + 1 < tt->n ? tt->tok[i + 1].start : len;
        bool ends = i + 1 == tt->n;
        for (size_t b = tt->tok[i].end; b < gap_end && !ends; b++)
            ends = ((text[b] == '.' || text[b] == '!' || text[b] == '?') &&
                    (b + 1 == len || text[b + 1] == ' ' || text[b + 1] == '\n' || text[b + 1] == '\r')) ||
                   (text[b] == '\n' && memchr(text + b + 1, '\n', gap_end - b - 1));
        if (!ends)
            continue;
        if (i + 1 - first > TONE_LONG_SENTENCE_WORDS)
            add(out, TONE_LONG_SENTENCE, tt->tok[first].start, tt->tok[i].end, NULL);
        first = i + 1;
    }
}

/* Orders findings by where they start, then by kind. */
static int by_position(const void *a, const void *b)
{
    const struct tone_finding *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

int tone_check(const char *text, size_t len, const char *lang, const struct tone_word *words, size_t nwords,
               struct tone_result *out)
{
    const struct lists *l = lists_for(lang);
    if (!l)
        l = &all_lists[0];
    memset(out, 0, sizeof *out);
    out->score = 100;
    out->language = l->code;
    text_tokenizer *tk = text_tokenizer_new(NULL, NULL);
    text_tokens tt = {0};
    if (!tk || text_tokenize(tk, text, len, &tt) != TEXT_OK) {
        text_tokenizer_free(tk);
        text_tokens_free(&tt);
        return -1;
    }
    if (tt.n > 0) {
        find_phrases(&tt, l->blame, TONE_BLAME, out);
        find_phrases(&tt, l->negative, TONE_NEGATIVE, out);
        for (size_t w = 0; w < nwords; w++)
            for (size_t i = 0; i < tt.n; i++) {
                size_t m = match_at(&tt, i, words[w].phrase);
                if (m)
                    add(out, TONE_LISTED_WORD, tt.tok[i].start, tt.tok[i + m - 1].end, words[w].suggestion);
            }
        find_shouting(text, len, &tt, out);
        find_long_sentences(text, len, &tt, out);
        if (!any_phrase(&tt, 0, tt.n < 4 ? tt.n : 4, l->greetings))
            add(out, TONE_NO_GREETING, 0, 0, l->greeting_suggestion);
        if (!any_phrase(&tt, tt.n > 6 ? tt.n - 6 : 0, tt.n, l->closings))
            add(out, TONE_NO_CLOSING, len, len, l->closing_suggestion);
    }
    if (out->score < 0)
        out->score = 0;
    qsort(out->items, out->n, sizeof out->items[0], by_position);
    text_tokens_free(&tt);
    text_tokenizer_free(tk);
    return 0;
}
