/* retriever: in-memory inverted index with BM25F ranking and typo
 * tolerance: adding, replacing and removing documents. Snippets are in retr_snippet.c, terms and working
 * memory in retr_vocab.c; the layout is in retr_internal.h. */
#include "ai/retr_internal.h"

#include "ai/hash.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void retr_params_default(retr_params *p)
{
    *p = (retr_params){
        .k1 = 2.0f, .b_title = 0.5f, .b_tags = 0.5f, .b_body = 0.75f,
        .w_title = 3.0f, .w_tags = 2.0f, .w_body = 1.0f, .typo = 1,
    };
}

retr_index *retr_new(const char *lang, const retr_params *p)
{
    retr_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    if (p)
        ix->p = *p;
    else
        retr_params_default(&ix->p);
    pthread_rwlock_init(&ix->lock, NULL);
    pthread_mutex_init(&ix->pool_lock, NULL);
    for (int f = 0; f < RETR_NFIELDS; f++)
        ix->ref[f] = 1;
    if (!lang || strlen(lang) >= sizeof ix->lang || retr_scratch_init(&ix->writer) != RETR_OK)
        goto fail;
    strcpy(ix->lang, lang);
    if (!retr_tokenizer(&ix->writer, lang))
        goto fail;
    return ix;
fail:
    retr_free(ix);
    return NULL;
}

void retr_free(retr_index *ix)
{
    if (!ix)
        return;
    for (uint32_t t = 0; t < ix->nterms; t++) {
        free(ix->terms[t].s);
        free(ix->terms[t].doc);
        free(ix->terms[t].tf);
        free(ix->terms[t].bmax);
    }
    free(ix->terms);
    free(ix->term_table);
    free(ix->del_table);
    free(ix->forms);
    free(ix->forms_text);
    free(ix->form_links);
    free(ix->dinfo);
    for (uint32_t d = 0; d < ix->ndocs; d++)
        retr_doc_clear(&ix->docs[d]);
    free(ix->docs);
    free(ix->free_slots);
    free(ix->id_keys);
    free(ix->id_slots);
    retr_scratch_clear(&ix->writer);
    for (size_t i = 0; i < ix->npool; i++) {
        retr_scratch_clear(ix->pool[i]);
        free(ix->pool[i]);
    }
    free(ix->pool);
    pthread_rwlock_destroy(&ix->lock);
    pthread_mutex_destroy(&ix->pool_lock);
    free(ix);
}

void retr_doc_clear(retr_sdoc *d)
{
    for (int f = 0; f < RETR_NFIELDS; f++)
        free(d->text[f]);
    free(d->terms);
    memset(d, 0, sizeof *d);
}

size_t retr_count(retr_index *ix)
{
    size_t n;
    pthread_rwlock_rdlock(&ix->lock);
    n = ix->nlive;
    pthread_rwlock_unlock(&ix->lock);
    return n;
}

/* ---- id -> slot map (linear probing, backward-shift deletion) ---- */

static uint32_t id_pos(const retr_index *ix, int64_t id)
{
    return (uint32_t)hash_final((uint64_t)id) & (ix->id_cap - 1);
}

uint32_t retr_slot_of(const retr_index *ix, int64_t id)
{
    if (!ix->id_cap)
        return RETR_NONE;
    for (uint32_t i = id_pos(ix, id);; i = (i + 1) & (ix->id_cap - 1)) {
        if (ix->id_slots[i] == RETR_NONE)
            return RETR_NONE;
        if (ix->id_keys[i] == id)
            return ix->id_slots[i];
    }
}

static void id_put(retr_index *ix, int64_t id, uint32_t slot)
{
    uint32_t i = id_pos(ix, id);
    while (ix->id_slots[i] != RETR_NONE)
        i = (i + 1) & (ix->id_cap - 1);
    ix->id_keys[i] = id;
    ix->id_slots[i] = slot;
}

static int id_reserve(retr_index *ix)
{
    uint32_t old = ix->id_cap, cap = old ? old * 2 : 64;
    int64_t *keys = ix->id_keys;
    uint32_t *slots = ix->id_slots;
    if ((ix->nlive + 1) * 2 <= old)
        return RETR_OK;
    ix->id_keys = malloc(cap * sizeof *ix->id_keys);
    ix->id_slots = malloc(cap * sizeof *ix->id_slots);
    if (!ix->id_keys || !ix->id_slots) {
        free(ix->id_keys);
        free(ix->id_slots);
        ix->id_keys = keys;
        ix->id_slots = slots;
        return RETR_ENOMEM;
    }
    memset(ix->id_slots, 0xff, cap * sizeof *ix->id_slots);
    ix->id_cap = cap;
    for (uint32_t i = 0; i < old; i++)
        if (slots[i] != RETR_NONE)
            id_put(ix, keys[i], slots[i]);
    free(keys);
    free(slots);
    return RETR_OK;
}

static void id_del(retr_index *ix, int64_t id)
{
    uint32_t mask = ix->id_cap - 1, i = id_pos(ix, id), j;
    while (ix->id_keys[i] != id || ix->id_slots[i] == RETR_NONE)
        i = (i + 1) & mask;
    ix->id_slots[i] = RETR_NONE;
    /* shift back the entries of the cluster that probed past i */
    for (j = (i + 1) & mask; ix->id_slots[j] != RETR_NONE; j = (j + 1) & mask) {
        uint32_t home = id_pos(ix, ix->id_keys[j]);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            ix->id_keys[i] = ix->id_keys[j];
            ix->id_slots[i] = ix->id_slots[j];
            ix->id_slots[j] = RETR_NONE;
            i = j;
        }
    }
}

/* ---- adding and removing documents ---- */

void retr_avg(const retr_index *ix, float avg[RETR_NFIELDS])
{
    for (int f = 0; f < RETR_NFIELDS; f++)
        avg[f] = ix->nlive && ix->sumlen[f] > 0 ? (float)(ix->sumlen[f] / ix->nlive) : 1;
}

/* tfn() of posting i of t at the reference averages. */
static float post_bound(const retr_index *ix, const retr_term *t, uint32_t i)
{
    return retr_tfn(&ix->p, t->tf[i].tf, ix->dinfo[t->doc[i]].len, ix->ref);
}

/* Recomputes the block bounds of t from posting `from` on, and its bound:
 * fresh, from the postings (new reference lengths), or else from the
 * postings' stored bounds (after an insertion or removal shifted them). */
static void rebound(const retr_index *ix, retr_term *t, uint32_t from, bool fresh)
{
    uint32_t b = from / RETR_BLOCK, nb = (t->n + RETR_BLOCK - 1) / RETR_BLOCK;
    for (; b < nb; b++) {
        uint32_t end = (b + 1) * RETR_BLOCK < t->n ? (b + 1) * RETR_BLOCK : t->n;
        if (fresh) {
            float m = 0;
            for (uint32_t i = b * RETR_BLOCK; i < end; i++) {
                float v = post_bound(ix, t, i);
                t->tf[i].qb = retr_qbound(v);
                m = v > m ? v : m;
            }
            t->bmax[b] = m;
        } else {
            uint16_t q = 0;
            for (uint32_t i = b * RETR_BLOCK; i < end; i++)
                q = t->tf[i].qb > q ? t->tf[i].qb : q;
            t->bmax[b] = retr_qvalue(q);
        }
    }
    t->ub = 0;
    for (b = 0; b < nb; b++)
        t->ub = t->bmax[b] > t->ub ? t->bmax[b] : t->ub;
}

/* The bounds hold for any averages (scaled by max(1, avg / ref) at search
 * time); they are recomputed when the averages drift by more than 10 %, so
 * that they stay tight. */
static void check_ref(retr_index *ix)
{
    float avg[RETR_NFIELDS];
    bool drift = false;
    retr_avg(ix, avg);
    for (int f = 0; f < RETR_NFIELDS; f++)
        drift = drift || !(avg[f] <= ix->ref[f] * 1.1f && avg[f] * 1.1f >= ix->ref[f]);
    if (!drift)
        return;
    memcpy(ix->ref, avg, sizeof avg);
    for (uint32_t t = 0; t < ix->nterms; t++)
        rebound(ix, &ix->terms[t], 0, true);
}

static int grow_postings(retr_term *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 4;
    uint32_t *nd = realloc(t->doc, cap * sizeof *nd);
    retr_tf *ntf;
    float *nb;
    if (!nd)
        return RETR_ENOMEM;
    t->doc = nd;
    if (!(ntf = realloc(t->tf, cap * sizeof *ntf)))
        return RETR_ENOMEM;
    t->tf = ntf;
    if (!(nb = realloc(t->bmax, (cap / RETR_BLOCK + 1) * sizeof *nb)))
        return RETR_ENOMEM;
    t->bmax = nb;
    t->cap = cap;
    return RETR_OK;
}

/* The first posting of t at slot or after (binary search). */
static uint32_t post_find(const retr_term *t, uint32_t slot)
{
    uint32_t lo = 0, hi = t->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->doc[mid] < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Adds the (term, per-field tf) pairs of a document to the postings, in slot order. */
static int post_doc(retr_index *ix, uint32_t slot)
{
    retr_sdoc *d = &ix->docs[slot];
    for (uint32_t k = 0; k < d->nterms; k++) {
        retr_term *t = &ix->terms[d->terms[k].term];
        retr_tf tf = { { d->terms[k].tf[0], d->terms[k].tf[1], d->terms[k].tf[2] }, 0 };
        uint32_t at = !t->n || t->doc[t->n - 1] < slot ? t->n : post_find(t, slot);
        float v;
        if (t->n == t->cap && grow_postings(t) != RETR_OK)
            return RETR_ENOMEM;
        if (at < t->n) {
            memmove(t->doc + at + 1, t->doc + at, (t->n - at) * sizeof *t->doc);
            memmove(t->tf + at + 1, t->tf + at, (t->n - at) * sizeof *t->tf);
        }
        t->doc[at] = slot;
        t->tf[at] = tf;
        t->n++;
        v = post_bound(ix, t, at);
        t->tf[at].qb = retr_qbound(v);
        if (at + 1 < t->n) {
            rebound(ix, t, at, false);
        } else {
            uint32_t b = at / RETR_BLOCK;
            t->bmax[b] = at % RETR_BLOCK == 0 || v > t->bmax[b] ? v : t->bmax[b];
            t->ub = v > t->ub ? v : t->ub;
        }
    }
    return RETR_OK;
}

static void unpost_doc(retr_index *ix, uint32_t slot)
{
    retr_sdoc *d = &ix->docs[slot];
    for (uint32_t k = 0; k < d->nterms; k++) {
        retr_term *t = &ix->terms[d->terms[k].term];
        uint32_t at = post_find(t, slot);
        if (at == t->n || t->doc[at] != slot)
            continue; /* not posted (a failed add) */
        memmove(t->doc + at, t->doc + at + 1, (t->n - at - 1) * sizeof *t->doc);
        memmove(t->tf + at, t->tf + at + 1, (t->n - at - 1) * sizeof *t->tf);
        t->n--;
        rebound(ix, t, at, false);
    }
}

static void remove_slot(retr_index *ix, uint32_t slot)
{
    retr_sdoc *d = &ix->docs[slot];
    unpost_doc(ix, slot);
    for (int f = 0; f < RETR_NFIELDS; f++)
        ix->sumlen[f] -= d->len[f];
    id_del(ix, d->id);
    retr_doc_clear(d);
    memset(&ix->dinfo[slot], 0, sizeof ix->dinfo[slot]);
    ix->free_slots[ix->nfree++] = slot;
    ix->nlive--;
}

/* A free document slot (growing the arrays), or RETR_NONE. */
static uint32_t take_slot(retr_index *ix)
{
    if (ix->nfree)
        return ix->free_slots[--ix->nfree];
    if (ix->ndocs == ix->doccap) {
        uint32_t cap = ix->doccap ? ix->doccap * 2 : 64;
        retr_sdoc *nd = realloc(ix->docs, cap * sizeof *nd);
        retr_dinfo *ni;
        uint32_t *nf;
        if (!nd)
            return RETR_NONE;
        ix->docs = nd;
        if (!(ni = realloc(ix->dinfo, cap * sizeof *ni)))
            return RETR_NONE;
        ix->dinfo = ni;
        if (!(nf = realloc(ix->free_slots, cap * sizeof *nf)))
            return RETR_NONE;
        ix->free_slots = nf;
        ix->doccap = cap;
    }
    memset(&ix->docs[ix->ndocs], 0, sizeof *ix->docs);
    memset(&ix->dinfo[ix->ndocs], 0, sizeof *ix->dinfo);
    return ix->ndocs++;
}

int retr_add(retr_index *ix, const retr_doc *doc)
{
    const char *texts[RETR_NFIELDS] = { doc->title, doc->tags, doc->body };
    const char *lang = doc->lang && *doc->lang ? doc->lang : ix->lang;
    uint32_t slot, old, lid;
    retr_sdoc *d;
    int rc = RETR_EINVAL;
    if (strlen(lang) >= sizeof d->lang)
        return RETR_ELANG;
    pthread_rwlock_wrlock(&ix->lock);
    if (!retr_tokenizer(&ix->writer, lang)) {
        rc = RETR_ELANG;
        goto done;
    }
    if ((lid = retr_lang_id(ix, lang)) == RETR_NONE) {
        rc = RETR_ELANG; /* more languages than RETR_MAX_LANGS */
        goto done;
    }
    rc = RETR_ENOMEM;
    if (id_reserve(ix) != RETR_OK)
        goto done;
    if ((old = retr_slot_of(ix, doc->id)) != RETR_NONE)
        remove_slot(ix, old);
    if ((slot = take_slot(ix)) == RETR_NONE)
        goto done;
    d = &ix->docs[slot];
    d->id = doc->id;
    strcpy(d->lang, lang);
    for (int f = 0; f < RETR_NFIELDS; f++)
        if (!(d->text[f] = strdup(texts[f] ? texts[f] : "")))
            goto undo;
    if (retr_analyse(ix, d, lid) != RETR_OK)
        goto undo;
    memcpy(ix->dinfo[slot].len, d->len, sizeof d->len);
    ix->dinfo[slot].lang = lid;
    if (post_doc(ix, slot) != RETR_OK)
        goto undo;
    for (int f = 0; f < RETR_NFIELDS; f++)
        ix->sumlen[f] += d->len[f];
    id_put(ix, doc->id, slot);
    ix->nlive++;
    check_ref(ix);
    rc = RETR_OK;
    goto done;
undo:
    unpost_doc(ix, slot);
    retr_doc_clear(d);
    memset(&ix->dinfo[slot], 0, sizeof ix->dinfo[slot]);
    ix->free_slots[ix->nfree++] = slot;
done:
    pthread_rwlock_unlock(&ix->lock);
    return rc;
}

int retr_remove(retr_index *ix, int64_t id)
{
    uint32_t slot;
    int rc = RETR_ENOTFOUND;
    pthread_rwlock_wrlock(&ix->lock);
    if ((slot = retr_slot_of(ix, id)) != RETR_NONE) {
        remove_slot(ix, slot);
        check_ref(ix);
        rc = RETR_OK;
    }
    pthread_rwlock_unlock(&ix->lock);
    return rc;
}
