/* Unit tests of the classifier on a small separable toy set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

/* The SVM trainer (logistic regression is the default) learns the same set. */
/* Reads a little-endian u32 at p. */
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Rewrites a version 2 model (two members) as the version 1 format of a
 * model made of its first member: no member count, one temperature, one
 * weight matrix and bias. Returns the new length (buf is rewritten in place). */
static size_t to_version_1(unsigned char *buf, size_t len)
{
    size_t at = 12, out, nl, nfeat, wbytes;
    at += 4 + rd32(buf + at); /* lang */
    nl = rd32(buf + at);
    at += 4;
    for (size_t l = 0; l < nl; l++)
        at += 4 + rd32(buf + at);
    assert_int_equal(rd32(buf + at), 2); /* members */
    buf[8] = 1;
    /* drop the member count and the second temperature */
    memmove(buf + at, buf + at + 4, 4);
    memmove(buf + at + 4, buf + at + 12, len - at - 12);
    len -= 8;
    at += 4 + 4 + 4; /* temp, threshold, idf_new */
    nfeat = rd32(buf + at);
    at += 4 + 12 * nfeat;
    wbytes = 4 * nfeat * nl;
    /* weights of member 0, then its bias: drop member 1's weights and bias */
    memmove(buf + at + wbytes, buf + at + 2 * wbytes, 4 * nl);
    out = at + wbytes + 4 * nl;
    uint64_t h = hash_final(hash_add(hash_init('m'), buf, out));
    for (int i = 0; i < 8; i++)
        buf[out + i] = (unsigned char)(h >> (8 * i));
    (void)len;
    return out + 8;
}

static void test_loads_version_1(void **state)
{
    fixture *f = *state;
    unsigned char *buf;
    size_t len;
    clf_model *m1 = NULL;
    assert_int_equal(clf_save(f->m, &buf, &len), CLF_OK);
    len = to_version_1(buf, len);
    assert_int_equal(clf_load(buf, len, &m1), CLF_OK);
    assert_string_equal(predict(f, m1, "I was charged twice, please refund me").label, "billing");
    assert_string_equal(predict(f, m1, "where is my package").label, "shipping");
    assert_true(clf_threshold(m1) == clf_threshold(f->m));
    /* and it saves in the current format, which loads again */
    free(buf);
    assert_int_equal(clf_save(m1, &buf, &len), CLF_OK);
    clf_free(m1);
    assert_int_equal(clf_load(buf, len, &m1), CLF_OK);
    assert_string_equal(predict(f, m1, "reset my password please").label, "login");
    clf_free(m1);
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
    p.lang = "klingon";
    clf_example two[] = { { "a", "x" }, { "b", "y" } };
    assert_int_equal(clf_train(two, 2, &p, &m), CLF_ELANG);
    assert_null(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_toy_set),
        cmocka_unit_test(test_loads_version_1),
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
