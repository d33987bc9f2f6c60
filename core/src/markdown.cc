#include "markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace bp {
namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '-' || c == '.';
}

// True when `url` starts with "scheme:" (RFC 3986), e.g. https:, mailto:.
bool has_scheme(std::string_view url) {
  if (url.empty() || !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
    return false;
  for (char c : url) {
    if (c == ':') return true;
    if (!is_scheme_char(c)) return false;
  }
  return false;
}

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

void rewrite_urls(cmark_node* root, std::string_view media_dir) {
  std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(root));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it.get());
    const cmark_node_type type = cmark_node_get_type(node);
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(node);
    if (url == nullptr) continue;
    const std::string rewritten = rewrite_media_url(url, media_dir);
    if (rewritten != url) cmark_node_set_url(node, rewritten.c_str());
  }
}

void append_space_separated(std::string& out, const char* s) {
  if (s != nullptr) out += s;
}

}  // namespace

std::string rewrite_media_url(std::string_view url, std::string_view media_dir) {
  if (url.empty() || url[0] == '/' || url[0] == '#' || url[0] == '?' || url[0] == '\\' ||
      has_scheme(url))
    return std::string(url);
  // Split off "?query#fragment"; only the path is normalised.
  const std::size_t cut = url.find_first_of("?#");
  const std::string_view path = url.substr(0, cut);
  const std::string_view tail = cut == std::string_view::npos ? "" : url.substr(cut);

  std::vector<std::string_view> segments;
  auto push_all = [&segments](std::string_view s) -> bool {
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find('/', start);
      if (end == std::string_view::npos) end = s.size();
      const std::string_view seg = s.substr(start, end - start);
      if (seg == "..") {
        if (segments.empty()) return false;
        segments.pop_back();
      } else if (!seg.empty() && seg != ".") {
        segments.push_back(seg);
      }
      start = end + 1;
    }
    return true;
  };
  if (!push_all(media_dir) || !push_all(path)) return "";
  std::string out = "/media";
  for (const auto& seg : segments) {
    out += '/';
    out += seg;
  }
  if (!path.empty() && path.back() == '/') out += '/';
  out += tail;
  return out;
}

RenderedMarkdown render_markdown(std::string_view markdown, std::string_view media_dir) {
  RenderedMarkdown out;
  std::unique_ptr<cmark_node, NodeDeleter> root(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_VALIDATE_UTF8));
  if (!root) return out;
  rewrite_urls(root.get(), media_dir);

  // CMARK_OPT_UNSAFE is deliberately absent: cmark 0.30 is safe by default.
  if (char* html = cmark_render_html(root.get(), CMARK_OPT_DEFAULT)) {
    out.html = html;
    std::free(html);
  }

  std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(root.get()));
  std::string heading;
  int heading_level = 0;  // > 0 while inside a heading
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(it.get());
    const cmark_node_type type = cmark_node_get_type(node);
    std::string& sink = heading_level > 0 ? heading : out.text;
    if (ev == CMARK_EVENT_ENTER) {
      switch (type) {
        case CMARK_NODE_HEADING:
          heading_level = cmark_node_get_heading_level(node);
          heading.clear();
          break;
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          append_space_separated(sink, cmark_node_get_literal(node));
          break;
        case CMARK_NODE_CODE_BLOCK:
          append_space_separated(sink, cmark_node_get_literal(node));
          if (!sink.empty() && sink.back() != '\n') sink += '\n';
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          sink += ' ';
          break;
        default:
          break;
      }
    } else if (ev == CMARK_EVENT_EXIT) {
      if (type == CMARK_NODE_HEADING) {
        const int level = heading_level;
        heading_level = 0;
        while (!heading.empty() && heading.back() == ' ') heading.pop_back();
        if (!heading.empty()) {
          out.headings.push_back(heading);
          if (level == 2 || level == 3) out.section_headings.push_back(heading);
        }
      } else if (type == CMARK_NODE_PARAGRAPH) {
        if (!out.text.empty() && out.text.back() != '\n') out.text += '\n';
      }
    }
  }
  while (!out.text.empty() && (out.text.back() == '\n' || out.text.back() == ' '))
    out.text.pop_back();
  return out;
}

}  // namespace bp
