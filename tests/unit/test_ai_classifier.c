/* Unit tests of the classifier on a small separable toy set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ai/classifier.h"
#include "ai/clf_internal.h"
#include "ai/hash.h"

static const char *const billing[] = {
    "I was charged twice on my credit card", "refund my payment please",
    "my invoice shows the wrong amount", "why is there an extra charge on my bill",
    "the payment failed but money was taken", "I need a copy of my invoice",
    "please refund the double charge", "billing error on my card",
};
static const char *const shipping[] = {
    "where is my parcel", "the package has not arrived yet",
    "track my delivery", "my order is late, where is the courier",
    "the parcel was delivered to the wrong address", "when will my package arrive",
    "delivery tracking number does not work", "courier lost my package",
};
static const char *const login[] = {
    "I forgot my password", "cannot log in to my account",
    "reset my password please", "the login page says wrong password",
    "my account is locked after failed logins", "two factor code is not accepted",
    "how do I change my password", "locked out of my account",
};
static const char *const oos[] = {
    "what is the capital of france", "tell me a joke about cats",
    "who won the football match yesterday", "how tall is mount everest",
};

typedef struct {
    clf_example ex[64];
    size_t n;
    clf_model *m;
    clf_ctx *c;
} fixture;

static void add(fixture *f, const char *const *texts, size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++)
        f->ex[f->n++] = (clf_example){ texts[i], label };
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    clf_params p;
    add(f, billing, 8, "billing");
    add(f, shipping, 8, "shipping");
    add(f, login, 8, "login");
    add(f, oos, 4, CLF_OOS_LABEL);
    clf_params_default(&p);
    p.epochs = 30;
    if (clf_train(f->ex, f->n, &p, &f->m) != CLF_OK || !(f->c = clf_ctx_new(f->m)))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    clf_ctx_free(f->c);
    clf_free(f->m);
    free(f);
    return 0;
}

static clf_prediction predict(fixture *f, const clf_model *m, const char *text)
{
    clf_prediction pr;
    assert_int_equal(clf_predict(m, f->c, text, strlen(text), &pr), CLF_OK);
    return pr;
}

static void test_learns_toy_set(void **state)
{
    fixture *f = *state;
    clf_prediction pr = predict(f, f->m, "I was charged twice, please refund me");
    assert_string_equal(pr.label, "billing");
    assert_false(pr.abstain);
    assert_true(pr.confidence > 0.5f && pr.confidence <= 1.0f);
    assert_true(pr.nwhy > 0);
    /* the explanation names words of the input that point to billing */
    int found = 0;
    for (size_t i = 0; i < pr.nwhy; i++)
        found |= !strcmp(pr.why[i].word, "charged") || !strcmp(pr.why[i].word, "refund");
    assert_true(found);
    assert_string_equal(predict(f, f->m, "where is my package").label, "shipping");
    assert_string_equal(predict(f, f->m, "I forgot my pasword").label, "login"); /* typo */
    assert_int_equal(clf_nlabels(f->m), 4);
}

/* Reads a little-endian u32 at p. */
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Writes the loader's hash of buf[0..n) at buf + n; returns the file's length. */
static size_t rehash(unsigned char *buf, size_t n)
{
    uint64_t h = hash_final(hash_add(hash_init('m'), buf, n));
    for (int i = 0; i < 8; i++)
        buf[n + i] = (unsigned char)(h >> (8 * i));
    return n + 8;
}

/* The offset of the member count in a saved model (after lang and labels). */
static size_t members_at(const unsigned char *buf)
{
    size_t at = 12, nl;
    at += 4 + rd32(buf + at); /* lang */
    nl = rd32(buf + at);
    at += 4;
    for (size_t l = 0; l < nl; l++)
        at += 4 + rd32(buf + at);
    return at;
}

/* Rewrites a version 3 model (three members) in place in the older format
 * `version` of a model made of its first members: 2 in version 2, 1 in
 * version 1 (which has no member count). Returns the new length. */
static size_t to_version(unsigned char *buf, size_t len, uint32_t version)
{
    const size_t keep = version == 1 ? 1 : 2, at0 = members_at(buf);
    unsigned char *old = malloc(len);
    size_t at = at0, o = at0, nl, nfeat, mat;
    memcpy(old, buf, len);
    nl = rd32(old + 12 + 4 + rd32(old + 12));
    assert_int_equal(rd32(old + at), 3); /* members */
    buf[8] = (unsigned char)version;
    at += 4;
    if (version > 1) {
        buf[o] = (unsigned char)keep;
        o += 4;
    }
    memcpy(buf + o, old + at, 4 * keep); /* temperatures */
    o += 4 * keep;
    at += 4 * 3;
    nfeat = rd32(old + at + 8);
    memcpy(buf + o, old + at, 12 + 12 * nfeat); /* threshold, idf_new, nfeat, ids, idf */
    o += 12 + 12 * nfeat;
    at += 12 + 12 * nfeat;
    mat = 4 * nfeat * nl;
    memcpy(buf + o, old + at, keep * mat); /* the kept members' weights */
    o += keep * mat;
    at += 3 * mat;
    memcpy(buf + o, old + at, keep * 4 * nl); /* and biases */
    o += keep * 4 * nl;
    free(old);
    return rehash(buf, o);
}

static void test_loads_older_versions(void **state)
{
    fixture *f = *state;
    for (uint32_t version = 1; version <= 2; version++) {
        unsigned char *buf;
        size_t len;
        clf_model *old = NULL;
        assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
        len = to_version(buf, len, version);
        assert_int_equal(clf_load(buf, len, &old), CLF_OK);
        assert_string_equal(predict(f, old, "I was charged twice, please refund me").label, "billing");
        assert_string_equal(predict(f, old, "where is my package").label, "shipping");
        assert_true(clf_threshold(old) == clf_threshold(f->m));
        /* and it saves in the current format, which loads again */
        free(buf);
        assert_int_equal(clf_save(old, &buf, &len), CLF_OK);
        clf_free(old);
        assert_int_equal(clf_load(buf, len, &old), CLF_OK);
        assert_string_equal(predict(f, old, "reset my password please").label, "login");
        clf_free(old);
        free(buf);
    }
}

/* Well-formed files (right hash, right lengths) with bad contents are refused. */
static void test_load_refuses_bad_values(void **state)
{
    fixture *f = *state;
    unsigned char *buf;
    size_t len, at;
    clf_model *m = NULL;
    const float nan = NAN;
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    at = members_at(buf) + 4 + 4 * 3; /* the threshold */
    memcpy(buf + at, &nan, 4);
    rehash(buf, len - 8);
    assert_int_equal(clf_load(buf, len, &m), CLF_EFORMAT);
    free(buf);
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    memcpy(buf + 16, "xx", 2); /* the language "en" */
    rehash(buf, len - 8);
    assert_int_equal(clf_load(buf, len, &m), CLF_ELANG);
    free(buf);
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    buf[members_at(buf)] = 3 + 1; /* more members than the format has */
    rehash(buf, len - 8);
    assert_int_equal(clf_load(buf, len, &m), CLF_EFORMAT);
    assert_null(m);
    free(buf);
}

static void test_unknown_words_lower_confidence(void **state)
{
    fixture *f = *state;
    clf_prediction known = predict(f, f->m, "refund my payment");
    clf_prediction diluted = predict(f, f->m, "refund my payment zorblat quixtrum vendelhoff");
    assert_string_equal(diluted.label, "billing");
    assert_true(diluted.confidence < known.confidence);
}

static void test_threshold_chow(void **state)
{
    (void)state;
    /* no out-of-scope rows: abstain below the point where answers turn more wrong than right */
    clf_outcome o[] = {
        { .conf = 0.6f, .right = true }, { .conf = 0.1f }, { .conf = 0.5f, .right = true },
        { .conf = 0.3f, .right = true }, { .conf = 0.2f }, { .conf = 0.4f },
    };
    assert_float_equal(clf_choose_threshold(o, 6), 0.25f, 1e-6f);
    /* all right: never abstain */
    clf_outcome r[] = { { .conf = 0.2f, .right = true }, { .conf = 0.9f, .right = true } };
    assert_float_equal(clf_choose_threshold(r, 2), 0.0f, 0.0f);
}

static void test_threshold_oos_recall(void **state)
{
    (void)state;
    clf_outcome o[40];
    size_t n = 0;
    /* 20 out-of-scope rows at 0.05, 0.10 ... 1.00, the oos label winning the top two */
    for (int k = 1; k <= 20; k++)
        o[n++] = (clf_outcome){ .conf = 0.05f * (float)k, .oos = true, .oos_won = k > 18 };
    for (int k = 0; k < 20; k++)
        o[n++] = (clf_outcome){ .conf = 0.9f, .right = true };
    /* 70 % of 20 = 14: the two the oos label wins, then the 12 least confident */
    float t = clf_choose_threshold(o, (uint32_t)n);
    assert_true(t > 0.6f && t < 0.65f);
    /* with fewer than 10 out-of-scope rows Chow's rule decides */
    n = 0;
    for (int k = 1; k <= 9; k++)
        o[n++] = (clf_outcome){ .conf = 0.05f * (float)k, .oos = true };
    o[n++] = (clf_outcome){ .conf = 0.9f, .right = true };
    t = clf_choose_threshold(o, (uint32_t)n);
    assert_true(t > 0.45f && t < 0.9f);
}

static void test_abstains_on_gibberish_and_bad_input(void **state)
{
    fixture *f = *state;
    char *big = malloc(1 << 20);
    assert_true(predict(f, f->m, "zxqv blorf qwpt vvkk").abstain);
    assert_true(predict(f, f->m, "").abstain);
    for (size_t i = 0; i < 1 << 20; i++)
        big[i] = (char)(i * 37 % 256);
    clf_prediction pr;
    assert_int_equal(clf_predict(f->m, f->c, big, 1 << 20, &pr), CLF_OK);
    assert_non_null(pr.label);
    free(big);
}

static void test_save_load_roundtrip(void **state)
{
    fixture *f = *state;
    unsigned char *buf;
    size_t len;
    clf_model *m2;
    const char *probe[] = { "refund my card", "parcel late", "password reset", "what is love" };
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    assert_int_equal(clf_load(buf, len, &m2), CLF_OK);
    for (size_t i = 0; i < 4; i++) {
        clf_prediction a = predict(f, f->m, probe[i]), b = predict(f, m2, probe[i]);
        assert_string_equal(a.label, b.label);
        assert_true(a.confidence == b.confidence);
        assert_int_equal(a.abstain, b.abstain);
    }
    assert_true(clf_threshold(m2) == clf_threshold(f->m));
    /* truncated, corrupted and future-version buffers are refused */
    clf_model *bad = NULL;
    assert_int_equal(clf_load(buf, len / 2, &bad), CLF_EFORMAT);
    assert_null(bad);
    buf[0] ^= 0xff;
    assert_int_equal(clf_load(buf, len, &bad), CLF_EFORMAT);
    buf[0] ^= 0xff;
    buf[8] = 99; /* version */
    assert_int_equal(clf_load(buf, len, &bad), CLF_EVERSION);
    clf_free(m2);
    free(buf);
}

static void test_online_update(void **state)
{
    fixture *f = *state;
    const char *text = "my voucher code was rejected";
    unsigned char *buf;
    size_t len;
    clf_model *m2;
    /* work on a copy so the other tests keep the trained model */
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    assert_int_equal(clf_load(buf, len, &m2), CLF_OK);
    free(buf);
    clf_prediction before = predict(f, m2, text);
    assert_false(!before.abstain && !strcmp(before.label, "billing"));
    assert_int_equal(clf_update(m2, f->c, text, strlen(text), "billing"), CLF_OK);
    clf_prediction after = predict(f, m2, text);
    assert_string_equal(after.label, "billing");
    assert_false(after.abstain);
    assert_int_equal(clf_update(m2, f->c, text, strlen(text), "no-such-label"), CLF_ELABEL);
    /* what it knew still holds */
    assert_string_equal(predict(f, m2, "where is my package").label, "shipping");
    clf_free(m2);
}

static void test_bad_training_input(void **state)
{
    clf_params p;
    clf_model *m = NULL;
    clf_example one[] = { { "a", "x" }, { "b", "x" } };
    clf_example only_oos[] = { { "a", "x" }, { "b", CLF_OOS_LABEL } };
    clf_params_default(&p);
    assert_int_equal(clf_train(one, 0, &p, &m), CLF_EINVAL);
    assert_int_equal(clf_train(one, 2, &p, &m), CLF_EINVAL);
    assert_int_equal(clf_train(only_oos, 2, &p, &m), CLF_EINVAL);
    clf_example pair[] = { { "a", "x" }, { "b", "y" } };
    p.svm_c = 0;
    assert_int_equal(clf_train(pair, 2, &p, &m), CLF_EINVAL);
    clf_params_default(&p);
    p.svm_iter = 0;
    assert_int_equal(clf_train(pair, 2, &p, &m), CLF_EINVAL);
    clf_params_default(&p);
    p.nb_alpha = 0;
    assert_int_equal(clf_train(pair, 2, &p, &m), CLF_EINVAL);
    clf_params_default(&p);
    p.lang = "klingon";
    clf_example two[] = { { "a", "x" }, { "b", "y" } };
    assert_int_equal(clf_train(two, 2, &p, &m), CLF_ELANG);
    assert_null(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_toy_set),
        cmocka_unit_test(test_loads_older_versions),
        cmocka_unit_test(test_load_refuses_bad_values),
        cmocka_unit_test(test_unknown_words_lower_confidence),
        cmocka_unit_test(test_threshold_chow),
        cmocka_unit_test(test_threshold_oos_recall),
        cmocka_unit_test(test_abstains_on_gibberish_and_bad_input),
        cmocka_unit_test(test_save_load_roundtrip),
        cmocka_unit_test(test_online_update),
        cmocka_unit_test(test_bad_training_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
