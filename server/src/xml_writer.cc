#include "xml_writer.h"

#include "bp/text.h"

namespace bp::server {

std::string xml_escape(std::string_view text) {
  // Bytes that are not UTF-8 (a harvester's «%FF» echoed in <request>)
  // would make the whole answer unreadable XML: each bad byte becomes U+FFFD.
  std::string valid;
  std::size_t bad = 0;
  if (!text::is_valid_utf8(text, &bad)) {
    for (;;) {
      valid.append(text.substr(0, bad));
      valid += "\xEF\xBF\xBD";
      text.remove_prefix(bad + 1);
      if (text::is_valid_utf8(text, &bad)) break;
    }
    valid.append(text);
    text = valid;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // U+FFFE and U+FFFF are UTF-8 but no XML 1.0 character (EF BF BE/BF).
    if (c == '\xEF' && i + 2 < text.size() && text[i + 1] == '\xBF' &&
        (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
      }
    }
  }
  return out;
}

XmlWriter::XmlWriter() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

void XmlWriter::indent() { out_.append(open_.size() * 2, ' '); }

void XmlWriter::start_tag(std::string_view name, const XmlAttributes& attributes) {
  indent();
  out_ += '<';
  out_ += name;
  for (const auto& [key, value] : attributes) {
    out_ += ' ';
    out_ += key;
    out_ += "=\"";
    out_ += xml_escape(value);
    out_ += '"';
  }
}

XmlWriter& XmlWriter::open(std::string_view name, const XmlAttributes& attributes) {
  start_tag(name, attributes);
  out_ += ">\n";
  open_.emplace_back(name);
  return *this;
}

XmlWriter& XmlWriter::close() {
  if (open_.empty()) return *this;
  const std::string name = std::move(open_.back());
  open_.pop_back();
  indent();
  out_ += "</" + name + ">\n";
  return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view name, std::string_view text, const XmlAttributes& attributes) {
  start_tag(name, attributes);
  if (text.empty()) {
    out_ += "/>\n";
    return *this;
  }
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
  return *this;
}

XmlWriter& XmlWriter::text(std::string_view text) {
  indent();
  out_ += xml_escape(text);
  out_ += '\n';
  return *this;
}

std::string XmlWriter::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

}  // namespace bp::server
