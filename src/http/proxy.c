#include "http/proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one address into family/addr; false when it is not an IPv4 or IPv6 address. */
static bool parse_address(const char *s, int *family, unsigned char addr[16])
{
    if (inet_pton(AF_INET, s, addr) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, s, addr) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

/* Copies the entry s[0..n) without surrounding blanks into out; false when empty or too long. */
static bool take_entry(const char *s, size_t n, char *out, size_t cap)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = 0;
    return true;
}

bool proxy_parse(const char *text, struct proxy_list *out, char *err, size_t errlen)
{
    out->n = 0;
    for (const char *p = text; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char entry[64];
        if (!take_entry(p, len, entry, sizeof entry)) {
            snprintf(err, errlen, "trusted-proxies: an empty or over-long entry");
            return false;
        }
        struct proxy_net net;
        char *slash = strchr(entry, '/');
        if (slash)
            *slash = 0;
        if (!parse_address(entry, &net.family, net.addr)) {
            snprintf(err, errlen, "trusted-proxies: '%s' is not an IPv4 or IPv6 address", entry);
            return false;
        }
        int max = net.family == AF_INET ? 32 : 128;
        net.prefix = max;
        if (slash) {
            char *end;
            long v = strtol(slash + 1, &end, 10);
            if (*end || end == slash + 1 || v < 0 || v > max) {
                snprintf(err, errlen, "trusted-proxies: '%s/%s' has a bad prefix length (0-%d)", entry, slash + 1, max);
                return false;
            }
            net.prefix = (int)v;
        }
        if (out->n == PROXY_MAX) {
            snprintf(err, errlen, "trusted-proxies: at most %d entries", PROXY_MAX);
            return false;
        }
        out->nets[out->n++] = net;
        p = comma ? comma + 1 : NULL;
    }
    return true;
}

static bool in_net(const struct proxy_net *net, int family, const unsigned char addr[16])
{
    if (net->family != family)
        return false;
    int full = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->addr, addr, (size_t)full) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (net->addr[full] & mask) == (addr[full] & mask);
}

bool proxy_trusted(const struct proxy_list *l, const char *ip)
{
    int family;
    unsigned char addr[16];
    if (!l->n || !parse_address(ip, &family, addr))
        return false;
    for (size_t i = 0; i < l->n; i++)
        if (in_net(&l->nets[i], family, addr))
            return true;
    return false;
}

void proxy_client_address(const struct proxy_list *l, const char *peer, const char *xff, char *out, size_t cap)
{
    snprintf(out, cap, "%s", peer);
    if (!xff || !proxy_trusted(l, peer))
        return;
    /* from the right: each trusted hop vouches for the address it forwarded for */
    for (size_t end = strlen(xff); end > 0;) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        char entry[64];
        int family;
        unsigned char addr[16];
        if (!take_entry(xff + start, end - start, entry, sizeof entry) || !parse_address(entry, &family, addr))
            return;
        snprintf(out, cap, "%s", entry);
        if (!proxy_trusted(l, entry))
            return;
        end = start > 0 ? start - 1 : 0;
    }
}
