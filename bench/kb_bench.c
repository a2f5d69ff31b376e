/* Knowledge-base search benchmark, straight against the engine the API uses (kb/index.h: the
 * retriever plus the filters), without HTTP or the database:
 *   1. generates N articles (default 100,000) from a Zipf-distributed vocabulary of made-up
 *      words (titles of 4-8 words, 2-3 tags, bodies of 80-250 words) and indexes them;
 *   2. search: C client threads (default 16) for S seconds each run queries of 1-4 words the
 *      way GET /api/v1/kb/search does (top 10 for an anonymous reader + a snippet per hit);
 *   3. recommendation: the same threads with ~1,000-character texts, top 5 + snippets.
 * Prints one JSON line per phase: queries/s, p50/p99/max latency in ms, the CPU time of one
 * query (search + snippets, thread CPU clock: what the machine's load does not inflate), and the machine's
 * load average (1 min) at the end of the phase (the benchmark shares the machine).
 *
 *   build/bench/kb_bench [articles] [clients] [seconds] [phases]
 *
 * phases: letters of the phases to run, default "srR": s = search (clients threads),
 * r = recommendation (clients threads), R = recommendation (1 thread).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb/index.h"

#define VOCAB 30000
#define MAX_SAMPLES 4000000

static char *vocab[VOCAB];
static double zipf_cdf[VOCAB];

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / (double)(1ull << 53);
}

/* A vocabulary word index, Zipf-distributed (s = 1). */
static int word(uint64_t *s)
{
    double u = rng_unit(s);
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void make_vocab(void)
{
    static const char *const on[] = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
                                     "br", "st", "tr", "pl", "gr", "sh", "ch", "qu"};
    static const char *const nu[] = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
    uint64_t s = 42;
    double sum = 0;
    for (int i = 0; i < VOCAB; i++) {
        char w[32] = "";
        int syl = 1 + (int)(rng_next(&s) % 3) + (i > 2000);
        for (int k = 0; k < syl; k++) {
            strcat(w, on[rng_next(&s) % (sizeof on / sizeof *on)]);
            strcat(w, nu[rng_next(&s) % (sizeof nu / sizeof *nu)]);
        }
        snprintf(w + strlen(w), sizeof w - strlen(w), "%c", "nrstlmx"[i % 7]);
        vocab[i] = strdup(w);
        sum += 1.0 / (i + 1);
        zipf_cdf[i] = sum;
    }
    for (int i = 0; i < VOCAB; i++)
        zipf_cdf[i] /= sum;
}

/* Appends n random words to buf (of cap bytes). */
static void words(char *buf, size_t cap, int n, uint64_t *s)
{
    size_t len = strlen(buf);
    for (int i = 0; i < n && len + 32 < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? " " : "", vocab[word(s)]);
}

static long long cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct phase {
    struct kb_index *ix;
    double seconds;
    int recommend;          /* 1: long texts, top 5 */
    atomic_long nsamples;
    atomic_llong cpu_ns;    /* thread CPU time spent in the measured calls */
    float *samples;         /* latencies in ms */
};

struct worker {
    struct phase *ph;
    uint64_t seed;
};

static void *client(void *arg)
{
    struct worker *w = arg;
    struct phase *ph = w->ph;
    uint64_t s = w->seed;
    struct kb_filter anon = {0};
    struct kb_hit hits[10];
    char q[1200];
    double end = now_s() + ph->seconds;
    while (now_s() < end) {
        q[0] = 0;
        if (ph->recommend) {
            while (strlen(q) < 1000)
                words(q, sizeof q, 1, &s);
            q[1000] = 0;
        } else {
            words(q, sizeof q, 1 + (int)(rng_next(&s) % 4), &s);
        }
        size_t n, limit = ph->recommend ? 5 : 10;
        bool more;
        double t0 = now_s();
        long long c0 = cpu_ns();
        if (kb_index_search(ph->ix, q, &anon, 0, limit, hits, &n, &more) != ERR_OK)
            abort();
        for (size_t i = 0; i < n; i++)
            free(kb_index_snippet(ph->ix, hits[i].id, q));
        double ms = (now_s() - t0) * 1000;
        atomic_fetch_add(&ph->cpu_ns, cpu_ns() - c0);
        long k = atomic_fetch_add(&ph->nsamples, 1);
        if (k < MAX_SAMPLES)
            ph->samples[k] = (float)ms;
    }
    return NULL;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void run_phase(const char *name, struct kb_index *ix, int clients, double seconds, int recommend)
{
    struct phase ph = {.ix = ix, .seconds = seconds, .recommend = recommend};
    ph.samples = malloc(MAX_SAMPLES * sizeof *ph.samples);
    pthread_t *th = calloc((size_t)clients, sizeof *th);
    struct worker *ws = calloc((size_t)clients, sizeof *ws);
    double t0 = now_s();
    for (int i = 0; i < clients; i++) {
        ws[i] = (struct worker){&ph, 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1)};
        pthread_create(&th[i], NULL, client, &ws[i]);
    }
    for (int i = 0; i < clients; i++)
        pthread_join(th[i], NULL);
    double elapsed = now_s() - t0;
    long n = atomic_load(&ph.nsamples);
    if (n > MAX_SAMPLES)
        n = MAX_SAMPLES;
    qsort(ph.samples, (size_t)n, sizeof *ph.samples, cmp_float);
    double load[1] = {0};
    getloadavg(load, 1);
    printf("{\"phase\":\"%s\",\"clients\":%d,\"seconds\":%.1f,\"queries\":%ld,\"queries_per_s\":%.0f,"
           "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"cpu_ms_per_query\":%.3f,\"load1\":%.2f}\n",
           name, clients, elapsed, n, (double)n / elapsed, n ? ph.samples[n / 2] : 0,
           n ? ph.samples[(size_t)((double)n * 0.99)] : 0, n ? ph.samples[n - 1] : 0,
           n ? (double)atomic_load(&ph.cpu_ns) / 1e6 / (double)atomic_load(&ph.nsamples) : 0, load[0]);
    fflush(stdout);
    free(ph.samples);
    free(th);
    free(ws);
}

int main(int argc, char **argv)
{
    long narticles = argc > 1 ? atol(argv[1]) : 100000;
    int clients = argc > 2 ? atoi(argv[2]) : 16;
    double seconds = argc > 3 ? atof(argv[3]) : 10;
    const char *phases = argc > 4 ? argv[4] : "srR";
    make_vocab();
    struct kb_index *ix = kb_index_new();
    uint64_t s = 7;
    char title[256], tags[128], *body = malloc(8192);
    double t0 = now_s();
    for (long id = 1; id <= narticles; id++) {
        title[0] = tags[0] = body[0] = 0;
        words(title, sizeof title, 4 + (int)(rng_next(&s) % 5), &s);
        words(tags, sizeof tags, 2 + (int)(rng_next(&s) % 2), &s);
        words(body, 8192, 80 + (int)(rng_next(&s) % 171), &s);
        struct kb_doc d = {.id = id, .version = 1, .title = title, .tags = tags, .text = body, .language = "en",
                           .internal = id % 20 == 0};
        if (kb_index_put(ix, &d) != ERR_OK)
            abort();
    }
    double load[1] = {0};
    getloadavg(load, 1);
    printf("{\"phase\":\"index\",\"articles\":%ld,\"seconds\":%.2f,\"load1\":%.2f}\n", narticles, now_s() - t0,
           load[0]);
    fflush(stdout);
    if (strchr(phases, 's'))
        run_phase("search", ix, clients, seconds, 0);
    if (strchr(phases, 'r'))
        run_phase("recommend", ix, clients, seconds, 1);
    if (strchr(phases, 'R'))
        run_phase("recommend", ix, 1, seconds, 1);
    kb_index_free(ix);
    free(body);
    for (int i = 0; i < VOCAB; i++)
        free(vocab[i]);
    return 0;
}
