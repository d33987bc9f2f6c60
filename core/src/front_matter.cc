#include "front_matter.h"

#include <algorithm>

namespace bp::detail {
namespace {

// A delimiter line: the marker, optionally followed by spaces or tabs.
bool is_delimiter(std::string_view line, std::string_view marker) {
  if (line.substr(0, marker.size()) != marker) return false;
  return std::all_of(line.begin() + static_cast<std::ptrdiff_t>(marker.size()), line.end(),
                     [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

std::string normalise_newlines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Most files have no '\r' at all: one scan, one copy.
  std::size_t cr = text.find('\r');
  if (cr == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  out.append(text.substr(0, cr));
  for (std::size_t i = cr; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

int line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(),
                                         text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::optional<FrontMatter> split_front_matter(std::string_view text, const std::string& file,
                                              Diagnostics* diagnostics) {
  auto report = [&](int line, std::string message) {
    diagnostics->push_back({file, line, 0, Severity::kError, std::move(message)});
  };
  std::size_t eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  if (!is_delimiter(first, "---")) {
    report(1,
           "front matter mancante: la scheda deve iniziare con una riga '---', seguita dai campi "
           "(title, summary, hub, ...) e da un'altra riga '---'");
    return std::nullopt;
  }
  FrontMatter fm;
  if (eol == std::string_view::npos) {
    report(1, "front matter non chiuso: manca la riga '---' che chiude il blocco aperto qui");
    return std::nullopt;
  }
  std::size_t pos = eol + 1;
  const std::size_t yaml_start = pos;
  int line = 2;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view l = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    if (is_delimiter(l, "---") || is_delimiter(l, "...")) {
      fm.yaml.assign(text.substr(yaml_start, pos - yaml_start));
      fm.close_line = line;
      if (end == std::string_view::npos) {
        fm.body_line = line + 1;
      } else {
        fm.body.assign(text.substr(end + 1));
        fm.body_line = line + 1;
      }
      return fm;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
    ++line;
  }
  report(1, "front matter non chiuso: manca la riga '---' che chiude il blocco aperto qui");
  return std::nullopt;
}

}  // namespace bp::detail
