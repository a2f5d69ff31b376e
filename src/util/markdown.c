#include "util/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

char *markdown_to_html(const char *markdown)
{
    /* no CMARK_OPT_UNSAFE: cmark then omits raw HTML and dangerous URLs */
    char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    if (!html)
        abort();
    return html;
}

char *markdown_to_text(const char *markdown)
{
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
    if (!it)
        abort();
    struct strbuf sb;
    strbuf_init(&sb, 0);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)) {
            strbuf_adds(&sb, cmark_node_get_literal(n));
            if (t == CMARK_NODE_CODE_BLOCK)
                strbuf_addc(&sb, '\n');
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            strbuf_addc(&sb, ' ');
        } else if (ev == CMARK_EVENT_EXIT && t >= CMARK_NODE_FIRST_BLOCK && t <= CMARK_NODE_LAST_BLOCK &&
                   sb.len && sb.data[sb.len - 1] != '\n') {
            strbuf_addc(&sb, '\n');
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return strbuf_take(&sb, NULL);
}
