#include "assist/reply.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/text.h"
#include "assist/llm.h"
#include "assist/solved.h"
#include "assist/templates.h"
#include "audit/audit.h"
#include "kb/articles.h"
#include "util/log.h"
#include "util/markdown.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define QUERY_WORDS_MAX 256     /* distinct query stems a paragraph is compared with */
#define PASSAGE_BLOCKS_MAX 4    /* paragraphs taken from one article */
#define CONFIDENCE_SCALE 10.0   /* BM25F score at which confidence reaches 1 - 1/e */
#define SCORE_MIN 0.5           /* a hit scoring less (stop words only, a stray word) grounds nothing */
#define SCORE_RELATIVE_MIN 0.3  /* nor does one scoring less than this share of the best hit */

/* What an offline reply says around the passages, per language. */
static const struct phrases {
    const char *lang, *hello, *more_before, *more_after, *closing;
    const char *ack;            /* the acknowledgement; %d is the number of hours */
    const char *auto_notice;    /* under an automated answer: how to confirm it or get a person */
} PHRASES[] = {
    {"en", "Hello", "You can find more in our article \xe2\x80\x9c", "\xe2\x80\x9d.", "Best regards,",
     "Thank you for your message. We have received your request and will get back to you within %d hours.",
     "*This answer was sent automatically.* Did it solve your problem? Please confirm it on your ticket. If it did not"
     " help, say so or simply reply, and a member of our team will take over. Without an answer we will consider"
     " the request solved."},
    {"de", "Hallo", "Mehr dazu finden Sie in unserem Artikel \xe2\x80\x9e", "\xe2\x80\x9c.",
     "Viele Gr\xc3\xbc\xc3\x9f" "e",
     "Vielen Dank f\xc3\xbcr Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns innerhalb von %d Stunden.",
     "*Diese Antwort wurde automatisch versendet.* Hat sie Ihr Problem gel\xc3\xb6st? Bitte best\xc3\xa4tigen Sie es"
     " in Ihrem Ticket. Wenn nicht, teilen Sie es uns mit oder antworten Sie einfach, dann \xc3\xbc" "bernimmt jemand"
     " aus unserem Team. Ohne Antwort betrachten wir die Anfrage als gel\xc3\xb6st."},
    {"fr", "Bonjour", "Vous trouverez plus de d\xc3\xa9tails dans notre article \xc2\xab\xc2\xa0", "\xc2\xa0\xc2\xbb.",
     "Cordialement,",
     "Merci pour votre message. Nous avons bien re\xc3\xa7u votre demande et vous r\xc3\xa9pondrons sous %d heures.",
     "*Cette r\xc3\xa9ponse a \xc3\xa9t\xc3\xa9 envoy\xc3\xa9" "e automatiquement.* A-t-elle r\xc3\xa9solu votre"
     " probl\xc3\xa8me\xc2\xa0? Merci de le confirmer sur votre ticket. Sinon, dites-le-nous ou r\xc3\xa9pondez"
     " simplement\xc2\xa0: un membre de notre \xc3\xa9quipe prendra le relais. Sans r\xc3\xa9ponse, nous"
     " consid\xc3\xa9rerons la demande comme r\xc3\xa9solue."},
    {"es", "Hola", "Encontrar\xc3\xa1 m\xc3\xa1s informaci\xc3\xb3n en nuestro art\xc3\xad" "culo \xc2\xab",
     "\xc2\xbb.",
     "Saludos cordiales,",
     "Gracias por su mensaje. Hemos recibido su solicitud y le responderemos en un plazo de %d horas.",
     "*Esta respuesta se envi\xc3\xb3 autom\xc3\xa1ticamente.* \xc2\xbfHa resuelto su problema? Conf\xc3\xadrmelo"
     " en su ticket. Si no le ha servido, d\xc3\xadganoslo o simplemente responda y una persona de nuestro equipo"
     " se encargar\xc3\xa1. Si no recibimos respuesta, daremos la solicitud por resuelta."},
    {"nl", "Hallo", "Meer informatie vindt u in ons artikel \xe2\x80\x9c", "\xe2\x80\x9d.", "Met vriendelijke groet,",
     "Bedankt voor uw bericht. We hebben uw aanvraag ontvangen en reageren binnen %d uur.",
     "*Dit antwoord is automatisch verstuurd.* Is uw probleem hiermee opgelost? Bevestig het dan in uw ticket. Zo"
     " niet, laat het ons weten of antwoord gewoon, dan neemt iemand van ons team het over. Zonder antwoord"
     " beschouwen we de aanvraag als opgelost."},
    {"it", "Buongiorno", "Trova maggiori dettagli nel nostro articolo \xc2\xab", "\xc2\xbb.", "Cordiali saluti,",
     "Grazie per il suo messaggio. Abbiamo ricevuto la sua richiesta e le risponderemo entro %d ore.",
     "*Questa risposta \xc3\xa8 stata inviata automaticamente.* Ha risolto il suo problema? Lo confermi nel suo"
     " ticket. In caso contrario ce lo dica o risponda semplicemente: una persona del nostro team se ne"
     " occuper\xc3\xa0. Senza risposta considereremo la richiesta risolta."},
    {"pt", "Ol\xc3\xa1", "Encontra mais informa\xc3\xa7\xc3\xb5" "es no nosso artigo \xe2\x80\x9c", "\xe2\x80\x9d.",
     "Com os melhores cumprimentos,",
     "Obrigado pela sua mensagem. Recebemos o seu pedido e responderemos no prazo de %d horas.",
     "*Esta resposta foi enviada automaticamente.* Resolveu o seu problema? Confirme-o no seu pedido. Se n\xc3\xa3o"
     " ajudou, diga-nos ou responda simplesmente e algu\xc3\xa9m da nossa equipa tratar\xc3\xa1 do assunto. Sem"
     " resposta, consideraremos o pedido resolvido."},
};

static const struct phrases *phrases_for(const char *lang)
{
    for (size_t i = 0; i < sizeof PHRASES / sizeof *PHRASES; i++)
        if (lang && !strcmp(PHRASES[i].lang, lang))
            return &PHRASES[i];
    return &PHRASES[0];
}

char *assist_reply_wrap(const char *lang, const char *name, const char *text, const char *title,
                        const char *greeting, const char *closing)
{
    const struct phrases *p = phrases_for(lang);
    struct strbuf sb;
    strbuf_init(&sb, 0);
    if (greeting) {
        strbuf_adds(&sb, greeting);
    } else {
        strbuf_adds(&sb, p->hello);
        if (name && *name) {
            strbuf_addc(&sb, ' ');
            strbuf_adds(&sb, name);
        }
        strbuf_addc(&sb, ',');
    }
    strbuf_adds(&sb, "\n\n");
    if (text && *text) {
        strbuf_adds(&sb, text);
        strbuf_adds(&sb, "\n\n");
    }
    if (title)
        strbuf_addf(&sb, "%s%s%s\n\n", p->more_before, title, p->more_after);
    strbuf_adds(&sb, closing ? closing : p->closing);
    return strbuf_take(&sb, NULL);
}

/* A tokenizer for lang, or an unstemmed one when lang has no stemmer. */
static text_tokenizer *tokenizer_for(const char *lang)
{
    text_tokenizer *t = lang && *lang ? text_tokenizer_new(lang, NULL) : NULL;
    if (!t && !(t = text_tokenizer_new(NULL, NULL)))
        abort();
    return t;
}

/* One paragraph of an article: md[start, end). */
struct block {
    size_t start, end;
    int score;
    bool taken;
};

/* Splits md at blank lines into at most cap blocks, heading lines left out; the count. */
static size_t split_blocks(const char *md, struct block *b, size_t cap)
{
    size_t n = 0, i = 0, len = strlen(md);
    while (i < len && n < cap) {
        while (i < len && (md[i] == '\n' || md[i] == '\r' || md[i] == ' ' || md[i] == '\t'))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        const char *blank = strstr(md + i, "\n\n"), *blank_cr = strstr(md + i, "\n\r\n");
        if (blank_cr && (!blank || blank_cr < blank))
            blank = blank_cr;
        size_t end = blank ? (size_t)(blank - md) : len;
        i = end;
        while (start < end && md[start] == '#') { /* a heading line: the text under it stays */
            const char *nl = memchr(md + start, '\n', end - start);
            start = nl ? (size_t)(nl - md) + 1 : end;
        }
        if (start < end)
            b[n++] = (struct block){.start = start, .end = end};
    }
    return n;
}

char *assist_reply_passages(const char *md, const char *query, const char *lang, size_t max)
{
    enum { BLOCKS_MAX = 512 };
    struct block *b = calloc(BLOCKS_MAX, sizeof *b);
    const char **words = calloc(QUERY_WORDS_MAX, sizeof *words);
    text_tokenizer *t = tokenizer_for(lang);
    text_tokens qt = {0}, bt = {0};
    if (!b || !words || text_tokenize(t, query, strlen(query), &qt) != TEXT_OK)
        abort();
    size_t nwords = 0;
    for (size_t i = 0; i < qt.n && nwords < QUERY_WORDS_MAX; i++) {
        bool seen = qt.tok[i].stop;
        for (size_t j = 0; j < nwords && !seen; j++)
            seen = !strcmp(words[j], qt.tok[i].stem);
        if (!seen)
            words[nwords++] = qt.tok[i].stem;
    }
    size_t n = split_blocks(md, b, BLOCKS_MAX);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (text_tokenize(t, md + b[i].start, b[i].end - b[i].start, &bt) != TEXT_OK)
            abort();
        for (size_t w = 0; w < nwords; w++)
            for (size_t k = 0; k < bt.n; k++)
                if (!strcmp(words[w], bt.tok[k].stem)) {
                    b[i].score++;
                    break;
                }
        any = any || b[i].score > 0;
    }
    /* the best paragraphs (the earlier one on a tie) while they fit; the first one always */
    size_t used = 0, taken = 0;
    for (;;) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!b[i].taken && (any ? b[i].score > 0 : true) && (best == n || b[i].score > b[best].score))
                best = i;
        if (best == n || taken == PASSAGE_BLOCKS_MAX)
            break;
        size_t len = b[best].end - b[best].start;
        if (taken && used + len + 2 > max)
            break;
        b[best].taken = true;
        used += len + 2;
        taken++;
    }
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (size_t i = 0; i < n; i++) {
        if (!b[i].taken)
            continue;
        if (sb.len)
            strbuf_adds(&sb, "\n\n");
        size_t len = b[i].end - b[i].start;
        if (sb.len + len > max) { /* only the first paragraph can be this long */
            strbuf_add(&sb, md + b[i].start, kb_utf8_prefix(md + b[i].start, max - sb.len));
            strbuf_adds(&sb, "\xe2\x80\xa6");
        } else {
            strbuf_add(&sb, md + b[i].start, len);
        }
    }
    text_tokens_free(&qt);
    text_tokens_free(&bt);
    text_tokenizer_free(t);
    free(words);
    free(b);
    return strbuf_take(&sb, NULL);
}

/* The ticket: its subject and public messages as one text (cut at KB_QUERY_MAX bytes), its
 * language, the requester's name and the subject, all owned by the caller. */
static enum err read_ticket(struct db *db, int64_t ticket_id, char **query, char **lang, char **name, char **subject,
                            struct failure *f)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT t.subject, COALESCE(t.language, ''), COALESCE(u.name, '') FROM tickets t"
                                  " LEFT JOIN users u ON u.id = t.requester_id WHERE t.id = $1",
                                  "i", ticket_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        db_finalize(st);
        return rc == DB_DONE ? fail(f, ERR_NOT_FOUND, NULL, "no such ticket")
                             : fail(f, ERR_INTERNAL, NULL, "could not read the ticket: %s", db_errmsg(db));
    }
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_adds(&sb, db_col_text(st, 0));
    if (!(*lang = strdup(db_col_text(st, 1))) || !(*name = strdup(db_col_text(st, 2))) ||
        !(*subject = strdup(db_col_text(st, 0))))
        abort();
    db_finalize(st);
    st = db_query(db, "SELECT body FROM messages WHERE ticket_id = $1 AND internal = 0 ORDER BY id", "i", ticket_id);
    while (st && sb.len < KB_QUERY_MAX && (rc = db_step(st)) == DB_ROW) {
        strbuf_addc(&sb, '\n');
        strbuf_adds(&sb, db_col_text(st, 0));
    }
    db_finalize(st);
    *query = strbuf_take(&sb, NULL);
    (*query)[kb_utf8_prefix(*query, KB_QUERY_MAX)] = 0;
    return ERR_OK;
}

/* The article as a customer may read it, in language lang when it has a published translation in
 * it; NULL when it cannot be read. */
static json_t *article_in(struct db *db, int64_t id, const char *lang)
{
    enum err e;
    json_t *a = kb_article_get(db, id, false, &e), *tr;
    size_t i;
    if (!a || !*lang || !strcmp(json_string_value(json_object_get(a, "language")), lang))
        return a;
    json_array_foreach(json_object_get(a, "translations"), i, tr) {
        if (strcmp(json_string_value(json_object_get(tr, "language")), lang))
            continue;
        json_t *t = kb_article_get(db, json_integer_value(json_object_get(tr, "id")), false, &e);
        if (t) {
            json_decref(a);
            return t;
        }
    }
    return a;
}

/* Finds up to ASSIST_SUGGESTIONS_MAX articles for the query into src (count in *n), in the
 * ticket's language when any match in it. */
static enum err find_sources(struct db *db, struct kb_index *ix, const char *query, const char *lang,
                             struct assist_source *src, size_t *n, struct failure *f)
{
    struct kb_hit hits[ASSIST_SUGGESTIONS_MAX];
    struct kb_filter flt = {.language = *lang ? lang : NULL};
    size_t nhits = 0;
    bool more;
    *n = 0;
    if (kb_index_search(ix, query, &flt, 0, ASSIST_SUGGESTIONS_MAX, hits, &nhits, &more))
        return fail(f, ERR_INTERNAL, NULL, "the knowledge-base search failed");
    if (!nhits && flt.language) {
        flt.language = NULL;
        if (kb_index_search(ix, query, &flt, 0, ASSIST_SUGGESTIONS_MAX, hits, &nhits, &more))
            return fail(f, ERR_INTERNAL, NULL, "the knowledge-base search failed");
    }
    for (size_t i = 0; i < nhits; i++) {
        if (hits[i].score < SCORE_MIN || hits[i].score < SCORE_RELATIVE_MIN * hits[0].score)
            break;
        json_t *a = article_in(db, hits[i].id, lang);
        int64_t id = a ? json_integer_value(json_object_get(a, "id")) : 0;
        bool dup = !a;
        for (size_t j = 0; j < *n && !dup; j++)
            dup = src[j].id == id;
        if (!dup) {
            const char *alang = json_string_value(json_object_get(a, "language"));
            struct assist_source *s = &src[(*n)++];
            s->id = id;
            s->type = "article";
            if (!(s->title = strdup(json_string_value(json_object_get(a, "title")))) || !(s->language = strdup(alang)))
                abort();
            s->passages = assist_reply_passages(json_string_value(json_object_get(a, "body_markdown")), query, alang,
                                                ASSIST_PASSAGE_MAX);
            s->confidence = round((1 - exp(-hits[i].score / CONFIDENCE_SCALE)) * 1000) / 1000;
        }
        json_decref(a);
    }
    return ERR_OK;
}

/* Adds up to ASSIST_TICKET_SOURCES past solved tickets for the query (ticket_id left out) to
 * src (count in *n): the paragraphs of their last public staff reply that match it. */
static void find_tickets(struct assist *a, struct db *db, const char *query, const char *lang, int64_t ticket_id,
                         struct assist_source *src, size_t *n)
{
    retr_hit hits[ASSIST_TICKET_SOURCES];
    size_t nhits = assist_solved_search(assist_solved_index(a), query, lang, ticket_id, hits, ASSIST_TICKET_SOURCES);
    for (size_t i = 0; i < nhits && hits[i].score >= SCORE_MIN; i++) {
        char *reply, *subject, *tlang;
        if (!assist_solved_answer(db, hits[i].id, &reply, &subject, &tlang))
            continue; /* changed since it was indexed */
        struct assist_source *s = &src[(*n)++];
        *s = (struct assist_source){.id = hits[i].id, .type = "ticket", .title = subject,
                                    .confidence = round((1 - exp(-hits[i].score / CONFIDENCE_SCALE)) * 1000) / 1000};
        if (!*tlang) {
            free(tlang);
            if (!(tlang = strdup(lang)))
                abort();
        }
        s->language = tlang;
        s->passages = assist_reply_passages(reply, query, tlang, ASSIST_PASSAGE_MAX);
        free(reply);
    }
}

/* Orders src[0..n) by confidence, the strongest first (articles first on a tie). */
static void sort_sources(struct assist_source *src, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && src[j].confidence > src[j - 1].confidence; j--) {
            struct assist_source t = src[j];
            src[j] = src[j - 1];
            src[j - 1] = t;
        }
}

json_t *assist_sources_json(const struct assist_source *src, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:I, s:s}", "type", src[i].type, "id", (json_int_t)src[i].id,
                                              "title", src[i].title));
    return list;
}

/* The LLM's draft from the passages, or NULL with the reason in why. */
static char *llm_draft(const struct assist_llm *llm, const char *query, const char *lang, const char *name,
                       const struct assist_source *src, size_t n, char *why, size_t whylen)
{
    char system[600];
    snprintf(system, sizeof system,
             "You are a helpdesk agent writing a reply to a customer's ticket. Use only the knowledge-base "
             "passages given; when they do not answer the question, say that a colleague will follow up. "
             "Cite the passages you use as [1], [2]. Write in the language with ISO 639-1 code '%s', friendly "
             "and brief, with a greeting and a closing. Reply with the message text only.",
             *lang ? lang : "en");
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_addf(&sb, "Customer: %s\n\nTicket:\n%s\n\nKnowledge-base passages:\n", *name ? name : "(unknown)", query);
    for (size_t i = 0; i < n; i++)
        strbuf_addf(&sb, "\n[%zu] %s\n%s\n", i + 1, src[i].title, src[i].passages);
    char *user = strbuf_take(&sb, NULL), *reply;
    bool ok = assist_llm_chat(llm, system, user, &reply, why, whylen);
    free(user);
    return ok ? reply : NULL;
}

/* The sources the draft cites as [k]; all of them when it cites none. */
static json_t *cited(const char *draft, const struct assist_source *src, size_t n)
{
    json_t *all = assist_sources_json(src, n), *list = json_array();
    for (size_t i = 0; i < n; i++) {
        char mark[24];
        snprintf(mark, sizeof mark, "[%zu]", i + 1);
        if (strstr(draft, mark))
            json_array_append(list, json_array_get(all, i));
    }
    if (!json_array_size(list)) {
        json_decref(list);
        return all;
    }
    json_decref(all);
    return list;
}

/* Stores each item as an ai_decisions row (kind "reply") and sets its id. */
static enum err store(struct db *db, int64_t ticket_id, json_t *items, int64_t micros, struct failure *f)
{
    size_t i;
    json_t *it;
    int rc = db_begin(db);
    json_array_foreach(items, i, it) {
        if (rc < 0)
            break;
        json_t *why = json_pack("{s:O, s:O}", "body", json_object_get(it, "body"), "sources",
                                json_object_get(it, "sources"));
        char *text = json_dumps(why, JSON_COMPACT);
        json_decref(why);
        struct db_stmt *st = db_query(db,
                                      "INSERT INTO ai_decisions (kind, ticket_id, label, confidence, why, micros,"
                                      " created_at) VALUES ('reply', $1, $2, $3, $4, $5, $6) RETURNING id",
                                      "itdtii", ticket_id, json_string_value(json_object_get(it, "provider")),
                                      json_real_value(json_object_get(it, "confidence")), text, micros, time_now());
        free(text);
        rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW)
            json_object_set_new(it, "id", json_integer(db_col_int(st, 0)));
        db_finalize(st);
    }
    if (rc >= 0)
        rc = db_commit(db);
    if (rc < 0) {
        db_rollback(db);
        return fail(f, ERR_INTERNAL, NULL, "could not record the suggestions: %s", db_errmsg(db));
    }
    return ERR_OK;
}

enum err assist_gather(struct assist *a, struct db *db, struct kb_index *ix, int64_t ticket_id, bool with_tickets,
                       struct assist_gathered *g, struct failure *f)
{
    *g = (struct assist_gathered){.ticket_id = ticket_id};
    enum err e = read_ticket(db, ticket_id, &g->query, &g->lang, &g->name, &g->subject, f);
    if (e)
        return e;
    if (!(g->templates = assist_templates_get(db)))
        return fail(f, ERR_INTERNAL, NULL, "could not read the response templates: %s", db_errmsg(db));
    if (!*g->lang) {
        char code[4];
        assist_language(a, g->query, strlen(g->query), code);
        free(g->lang);
        if (!(g->lang = strdup(code)))
            abort();
    }
    if ((e = find_sources(db, ix, g->query, g->lang, g->src, &g->n, f)))
        return e;
    if (with_tickets) {
        find_tickets(a, db, g->query, g->lang, ticket_id, g->src, &g->n);
        sort_sources(g->src, g->n);
    }
    return ERR_OK;
}

void assist_gathered_free(struct assist_gathered *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->src[i].title);
        free(g->src[i].language);
        free(g->src[i].passages);
    }
    free(g->query);
    free(g->lang);
    free(g->name);
    free(g->subject);
    json_decref(g->templates);
    *g = (struct assist_gathered){0};
}

char *assist_compose(const struct assist_gathered *g, const char *lang, const char *agent_name, const char *text,
                     const char *title)
{
    struct assist_template_vars vars = {.requester_name = g->name, .agent_name = agent_name,
                                        .ticket_subject = g->subject, .ticket_id = g->ticket_id};
    char *greeting = assist_template_expand(assist_template_for(g->templates, lang, "greeting"), &vars);
    char *closing = assist_template_expand(assist_template_for(g->templates, lang, "closing"), &vars);
    char *out = assist_reply_wrap(lang, g->name, text, title, greeting, closing);
    free(greeting);
    free(closing);
    return out;
}

enum err assist_suggest(struct assist *a, struct db *db, struct kb_index *ix, const uint8_t key[CRYPTO_KEY_BYTES],
                        int64_t ticket_id, const char *agent_name, json_t **out, struct failure *f)
{
    int64_t t0 = time_mono_us();
    struct assist_gathered g;
    json_t *items = NULL;
    enum err e = assist_gather(a, db, ix, ticket_id, true, &g, f);
    if (e)
        goto done;
    items = json_array();
    struct assist_llm llm;
    char why[256] = "";
    if (g.n && assist_llm_load(db, key, &llm)) {
        char *draft = llm_draft(&llm, g.query, g.lang, g.name, g.src, g.n, why, sizeof why);
        if (draft) {
            json_array_append_new(items, json_pack("{s:s, s:o, s:f, s:s, s:s}", "body", draft, "sources",
                                                   cited(draft, g.src, g.n), "confidence", g.src[0].confidence,
                                                   "provider", "llm", "model", llm.model));
            *why = 0;
        } else {
            log_info("ai: the LLM failed for ticket %lld (%s); composing offline", (long long)ticket_id, why);
        }
        free(draft);
        assist_llm_free(&llm);
    }
    for (size_t i = 0; i < g.n && json_array_size(items) < ASSIST_SUGGESTIONS_MAX; i++) {
        const struct assist_source *src = &g.src[i];
        char *body = assist_compose(&g, src->language, agent_name, src->passages,
                                    strcmp(src->type, "article") == 0 ? src->title : NULL);
        json_t *it = json_pack("{s:s, s:o, s:f, s:s}", "body", body, "sources", assist_sources_json(src, 1),
                               "confidence", src->confidence, "provider", "offline");
        if (*why)
            json_object_set_new(it, "llm_error", json_string(why));
        json_array_append_new(items, it);
        free(body);
    }
    if ((e = store(db, ticket_id, items, time_mono_us() - t0, f)))
        goto done;
    *out = json_pack("{s:O}", "items", items);
done:
    json_decref(items);
    assist_gathered_free(&g);
    return e;
}

int assist_post_message(struct db *db, int64_t ticket_id, const char *body, bool internal, int64_t *message_id)
{
    char *html = markdown_to_html(body), mid[24];
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO messages (ticket_id, author_kind, internal, body, body_html, channel,"
                                  " created_at) VALUES ($1, 'ai', $2, $3, $4, 'ai', $5) RETURNING id",
                                  "iitti", ticket_id, (int64_t)internal, body, html, time_now());
    free(html);
    int rc = st ? db_step(st) : DB_ERROR;
    *message_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : DB_ERROR;
    snprintf(mid, sizeof mid, "%lld", (long long)*message_id);
    struct audit_entry ae = {.actor_kind = "ai", .action = internal ? "ticket.note" : "ticket.reply",
                             .target_type = "ticket", .target_id = ticket_id, .field = "message_id", .new_value = mid};
    return audit_append(db, &ae);
}

int assist_decision_add(struct db *db, const char *kind, int64_t ticket_id, const char *label, double confidence,
                        bool applied, json_t *why, int64_t *id)
{
    char *text = json_dumps(why, JSON_COMPACT);
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO ai_decisions (kind, ticket_id, label, confidence, applied, why,"
                                  " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                  "titditi", kind, ticket_id, label, confidence, (int64_t)applied, text, time_now());
    free(text);
    int rc = st ? db_step(st) : DB_ERROR;
    if (id)
        *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ROW ? DB_DONE : rc < 0 ? rc : DB_ERROR;
}

const char *assist_reply_ack_format(const char *lang)
{
    return phrases_for(lang)->ack;
}

const char *assist_reply_auto_notice(const char *lang)
{
    return phrases_for(lang)->auto_notice;
}
