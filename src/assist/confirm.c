#include "assist/confirm.h"

#include <stdlib.h>
#include <string.h>

#include "ai/text.h"
#include "util/strbuf.h"

/* Words that thank or say the answer worked (lower case, as the tokenizer writes them). */
static const char *const CONFIRMS[] = {
    /* en */ "thanks", "thank", "thx", "ty", "cheers", "great", "perfect", "awesome", "excellent", "brilliant",
    "wonderful", "works", "worked", "working", "fixed", "solved", "resolved", "helped", "helpful", "sorted",
    "appreciated", "appreciate",
    /* de */ "danke", "dank", "dankeschön", "super", "perfekt", "toll", "prima", "klasse", "funktioniert",
    "funktionierte", "geklappt", "klappt", "gelöst", "geholfen", "erledigt", "hilfreich",
    /* fr */ "merci", "parfait", "parfaitement", "génial", "marche", "marché", "fonctionne", "fonctionné", "résolu",
    "réglé", "aidé",
    /* es */ "gracias", "perfecto", "genial", "excelente", "funciona", "funcionó", "funcionado", "resuelto",
    "solucionado", "ayudó", "arreglado",
    /* nl */ "bedankt", "dankjewel", "dankuwel", "top", "geweldig", "werkt", "gewerkt", "opgelost", "geholpen",
    /* it */ "grazie", "perfetto", "ottimo", "fantastico", "funzionato", "risolto", "aiutato", "sistemato",
    /* pt */ "obrigado", "obrigada", "valeu", "perfeito", "ótimo", "funcionou", "resolvido", "resolveu", "ajudou",
};

/* Words that put a confirmation in doubt: negation, a problem, a question, a further request, a
 * "will try later". Words that thank in one language and mean something else in another ("was",
 * "si", "por") are left out; everything here sends the ticket to a person. */
static const char *const DOUBTS[] = {
    /* en */ "not", "no", "nope", "never", "nothing", "none", "neither", "nor", "cannot", "cant", "dont", "doesnt",
    "didnt", "isnt", "wasnt", "wont", "still", "but", "however", "although", "though", "unfortunately", "problem",
    "problems", "issue", "issues", "error", "errors", "wrong", "broken", "fail", "fails", "failed", "failing",
    "again", "anymore", "why", "how", "what", "where", "when", "which", "who", "also", "another", "else", "other",
    "please", "pls", "can", "could", "would", "should", "need", "needs", "want", "if", "instead", "partly",
    "partially", "sometimes", "try", "tried", "trying", "will", "later", "tomorrow", "check",
    /* de */ "nicht", "nichts", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "noch", "aber",
    "jedoch", "leider", "trotzdem", "probleme", "fehler", "falsch", "kaputt", "wieder", "warum", "wieso", "weshalb",
    "wie", "wo", "wann", "welche", "welcher", "auch", "andere", "anderes", "bitte", "brauche", "brauchen", "möchte",
    "kann", "können", "könnt", "könnten", "versuche", "versuchen", "probiere", "probieren", "später", "morgen",
    "teilweise", "manchmal", "wenn", "falls",
    /* fr */ "ne", "pas", "non", "jamais", "rien", "aucun", "aucune", "toujours", "encore", "mais", "cependant",
    "pourtant", "malheureusement", "problème", "problèmes", "erreur", "erreurs", "faux", "cassé", "pourquoi",
    "comment", "quoi", "où", "quand", "quel", "quelle", "aussi", "autre", "besoin", "pouvez", "pourriez", "peux",
    "voudrais", "veux", "svp", "plaît", "essayer", "essaierai", "essayerai", "plus", "demain", "tard", "parfois",
    "partiellement",
    /* es */ "nada", "nunca", "ninguno", "tampoco", "todavía", "aún", "pero", "embargo", "lamentablemente",
    "desafortunadamente", "problema", "problemas", "errores", "roto", "mal", "otra", "otro", "qué", "cómo", "dónde",
    "cuándo", "cuál", "también", "favor", "necesito", "puede", "puedes", "pueden", "quiero", "intentaré",
    "probaré", "después", "mañana",
    /* nl */ "niet", "geen", "nooit", "nog", "maar", "echter", "helaas", "probleem", "problemen", "fout", "fouten",
    "kapot", "weer", "opnieuw", "waarom", "hoe", "wat", "waar", "wanneer", "welke", "ook", "nodig", "kunt", "kun",
    "wil", "wilt", "alsjeblieft", "alstublieft", "proberen", "probeer", "soms", "gedeeltelijk",
    /* it */ "mai", "niente", "nessun", "nessuno", "ancora", "ma", "però", "tuttavia", "purtroppo", "problemi",
    "errore", "errori", "sbagliato", "rotto", "perché", "cosa", "dove", "quando", "quale", "anche", "altro", "altra",
    "bisogno", "potete", "puoi", "può", "vorrei", "voglio", "proverò", "provare", "domani", "dopo", "talvolta",
    "parzialmente",
    /* pt */ "não", "nao", "nenhum", "nenhuma", "ainda", "porém", "contudo", "infelizmente", "erro", "erros",
    "errado", "quebrado", "porque", "como", "onde", "qual", "também", "outra", "preciso", "pode", "podem", "quero",
    "gostaria", "tentar", "tentarei", "amanhã", "depois", "vezes", "parcialmente",
};

/* Whether word is one of list[0..n). */
static bool listed(const char *const *list, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], word) == 0)
            return true;
    return false;
}

/* A contraction that negates or defers: "didn't", "n'est" (French elision), "I'll". */
static bool doubtful_contraction(const char *w, size_t len)
{
    return (len > 3 && strcmp(w + len - 3, "n't") == 0) || strncmp(w, "n'", 2) == 0 || strstr(w, "'ll") != NULL;
}

/* The text without its quoted lines ('>' after optional blanks); the caller frees it. */
static char *unquoted(const char *text)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n'), *p = line;
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '>')
            strbuf_add(&sb, line, len);
        line += len;
    }
    return strbuf_take(&sb, NULL);
}

bool assist_reply_confirms(const char *text)
{
    char *own = unquoted(text);
    /* a question mark in any script's usual form: the customer asks something */
    bool verdict = !strchr(own, '?') && !strstr(own, "¿") && !strstr(own, "？");
    text_tokenizer *t = verdict ? text_tokenizer_new(NULL, NULL) : NULL;
    text_tokens tt = {0};
    if (verdict && (!t || text_tokenize(t, own, strlen(own), &tt) != TEXT_OK))
        abort(); /* out of memory */
    verdict = verdict && tt.n > 0 && tt.n <= ASSIST_CONFIRM_WORDS_MAX;
    bool thanks = false;
    for (size_t i = 0; verdict && i < tt.n; i++) {
        const char *w = tt.tok[i].norm;
        if (listed(DOUBTS, sizeof DOUBTS / sizeof *DOUBTS, w) || doubtful_contraction(w, tt.tok[i].norm_len))
            verdict = false;
        thanks = thanks || listed(CONFIRMS, sizeof CONFIRMS / sizeof *CONFIRMS, w);
    }
    text_tokens_free(&tt);
    text_tokenizer_free(t);
    free(own);
    return verdict && thanks;
}
