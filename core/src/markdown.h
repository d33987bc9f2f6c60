// Rendering a case file's Markdown body with cmark: safe HTML for the pages
// and the plain text of each part (headings, the rest) for the index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bp {

struct RenderedMarkdown {
  // HTML from cmark's safe renderer (CMARK_OPT_DEFAULT in cmark 0.30): raw
  // HTML blocks and inline tags are replaced by "<!-- raw HTML omitted -->",
  // and link/image URLs with a javascript:, vbscript:, file: or data: scheme
  // (data:image/png|gif|jpeg|webp excepted) are emptied. Text is escaped, so
  // no attribute (on* handlers included) can be smuggled in.
  std::string html;
  // Text of every heading (any level), in document order.
  std::vector<std::string> headings;
  // Text of H2 and H3 headings only (the sections a page lists).
  std::vector<std::string> section_headings;
  // Plain text of everything that is not a heading: paragraphs, list items,
  // quotes, code, link texts and image alt texts. Blocks are separated by
  // "\n", soft and hard line breaks become a space. Raw HTML is left out.
  std::string text;
};

// Parses `markdown` (UTF-8; invalid sequences are replaced) and renders it.
// Relative link and image URLs (no scheme, not starting with '/', '#' or
// "//") are rewritten to "/media/<media_dir>/<url>", normalised lexically
// ("./" and "x/.." removed); a relative URL that climbs above the content
// root becomes "" (no link). `media_dir` is the folder of the case file
// relative to the content root, '/' separated, without trailing slash
// (e.g. "practices/nord"; "" for the root itself). Never throws on any input.
RenderedMarkdown render_markdown(std::string_view markdown, std::string_view media_dir);

// The rewriting rule above for a single URL (exposed for the page renderer
// and the tests): returns `url` unchanged when it is not relative.
std::string rewrite_media_url(std::string_view url, std::string_view media_dir);

}  // namespace bp
