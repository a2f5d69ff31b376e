/* proxy: the client's address behind trusted reverse proxies or load balancers. Only when the
 * TCP peer is one of the configured proxies is X-Forwarded-For read, from its right end: the
 * first address there that is not itself a trusted proxy is the client. Anyone else's
 * X-Forwarded-For is ignored, so a client cannot choose its own address (rate limits, the
 * brute-force guard and the audit log all key on it). */
#ifndef PARLEY_HTTP_PROXY_H
#define PARLEY_HTTP_PROXY_H
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#define PROXY_MAX 32

/* One trusted network: an address and a prefix length. */
struct proxy_net {
    int family;                 /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int prefix;
};

/* The trusted proxies (empty: none, X-Forwarded-For is never read). */
struct proxy_list {
    struct proxy_net nets[PROXY_MAX];
    size_t n;
};

/* Parses a comma-separated list of addresses and CIDR networks ("10.0.0.0/8, ::1"); on error
 * writes a one-line message naming the bad entry and returns false. */
bool proxy_parse(const char *text, struct proxy_list *out, char *err, size_t errlen);
/* True when the textual address ip is in one of the trusted networks. */
bool proxy_trusted(const struct proxy_list *l, const char *ip);
/* The client's address for a request from peer (text) with the X-Forwarded-For header xff
 * (NULL when absent) into out (INET6_ADDRSTRLEN bytes): peer itself unless peer is trusted and
 * the header names someone further out. Malformed entries end the walk at the last good one. */
void proxy_client_address(const struct proxy_list *l, const char *peer, const char *xff, char *out, size_t cap);

#endif
