/* Markdown to HTML with cmark, safe by default: raw HTML is dropped and javascript:, vbscript:,
 * file: and data: (except images) links are removed. */
#ifndef PARLEY_UTIL_MARKDOWN_H
#define PARLEY_UTIL_MARKDOWN_H

/* Renders CommonMark text as safe HTML; the caller frees the result (never NULL). */
char *markdown_to_html(const char *markdown);
/* The plain text of CommonMark text (words of text, code and image descriptions; no markup, no
 * raw HTML, no link targets), a newline after each block, for search; the caller frees it. */
char *markdown_to_text(const char *markdown);

#endif
