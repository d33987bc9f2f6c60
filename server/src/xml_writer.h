// A small streaming XML writer for the machine-readable answers (OAI-PMH,
// Atom, sitemaps): escapes every text and attribute value and drops the
// characters XML 1.0 cannot carry (C0 controls other than tab, newline and
// carriage return), so no stored value can break a document.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bp::server {

using XmlAttributes = std::vector<std::pair<std::string, std::string>>;

// `text` escaped for element content and attribute values (&, <, >, "),
// control characters XML does not allow dropped, and each byte that is not
// UTF-8 replaced with U+FFFD.
std::string xml_escape(std::string_view text);

class XmlWriter {
 public:
  // Starts with the XML declaration (UTF-8).
  XmlWriter();

  // <name attrs...>; close() ends the innermost open element.
  XmlWriter& open(std::string_view name, const XmlAttributes& attributes = {});
  XmlWriter& close();
  // <name attrs...>text</name>, or <name attrs.../> when `text` is empty.
  XmlWriter& leaf(std::string_view name, std::string_view text, const XmlAttributes& attributes = {});
  // Text inside the innermost open element.
  XmlWriter& text(std::string_view text);

  // The document, closing any element left open.
  std::string finish();

 private:
  void start_tag(std::string_view name, const XmlAttributes& attributes);
  void indent();

  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace bp::server
