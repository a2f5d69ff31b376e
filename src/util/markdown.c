#include "util/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

char *markdown_to_html(const char *markdown)
{
    /* no CMARK_OPT_UNSAFE: cmark then omits raw HTML and dangerous URLs */
    char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    if (!html)
        abort();
    return html;
}
