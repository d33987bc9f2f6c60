// bp-index proposals pull (run by the program bp-index-pull, see
// commands.h): accepted proposals from a running server into the git
// library, as an editor would add them by hand. Debian's cpp-httplib is
// built with OpenSSL (its pkg-config flags), so https:// servers work too.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "bp/civil_time.h"
#include "bp/file_bytes.h"
#include "bp/library.h"
#include "bp/text.h"
#include "commands.h"

namespace bp::indexer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMaxSlug = 80;

struct Remote {
  httplib::Client client;
  std::string token;

  // GET or POST `path` with the token; the JSON answer, or nullopt after
  // printing why.
  std::optional<json> call(const std::string& method, const std::string& path, const json& body = nullptr) {
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    auto res = method == "GET" ? client.Get(path.c_str(), headers)
                               : client.Post(path.c_str(), headers, body.dump(), "application/json");
    if (!res) {
      std::cerr << "bp-index: server non raggiungibile (" << httplib::to_string(res.error()) << ")\n";
      return std::nullopt;
    }
    json j = json::parse(res->body, nullptr, false);
    if (res->status != 200) {
      std::cerr << "bp-index: " << method << " " << path << ": " << res->status << " "
                << (j.is_object() ? j.value("message", "") : std::string()) << "\n";
      return std::nullopt;
    }
    return j;
  }

  std::optional<std::string> bytes(const std::string& path) {
    auto res = client.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
    if (!res || res->status != 200) {
      std::cerr << "bp-index: impossibile scaricare " << path << "\n";
      return std::nullopt;
    }
    return res->body;
  }
};

std::string read_token(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  const auto b = line.find_first_not_of(" \t\r");
  const auto e = line.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : line.substr(b, e - b + 1);
}

// The slug from the title, cut at a word boundary.
std::string base_slug(const std::string& title) {
  std::string s = text::slugify(title);
  if (s.size() > kMaxSlug) {
    s.resize(kMaxSlug);
    if (auto dash = s.rfind('-'); dash != std::string::npos && dash > kMaxSlug / 2) s.resize(dash);
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s.empty() ? "pratica-proposta" : s;
}

bool same_bytes(const fs::path& file, const std::string& bytes) {
  auto r = read_file(file);
  return r.ok() && *r == bytes;
}

// `markdown` (a case file as the server wrote it) with the date of the case
// sheet, `date: <day>`, as the last line of its front matter, unless it has
// one: the day it enters the library.
std::string dated(const std::string& markdown, const std::string& day) {
  if (!markdown.starts_with("---\n")) return markdown;
  const std::size_t end = markdown.find("\n---\n", 3);
  if (end == std::string::npos) return markdown;
  const std::string front = markdown.substr(0, end + 1);
  if (front.starts_with("date:") || front.find("\ndate:") != std::string::npos) return markdown;
  return front + "date: " + day + "\n" + markdown.substr(end + 1);
}

// The same file written on another day: its bytes but for the date line.
bool same_but_date(const fs::path& file, const std::string& markdown) {
  auto r = read_file(file);
  if (!r.ok()) return false;
  std::string bytes = *r;
  if (const std::size_t at = bytes.find("\ndate: "); at != std::string::npos) {
    const std::size_t eol = bytes.find('\n', at + 1);
    if (eol != std::string::npos) bytes.erase(at + 1, eol - at);
  }
  return bytes == markdown;
}

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

}  // namespace

int run_pull_here(const PullOptions& o) {
  Remote remote{httplib::Client(o.server), read_token(o.token_file)};
  if (remote.token.empty()) {
    std::cerr << "bp-index: il file del token " << o.token_file.string() << " è vuoto o non si legge\n";
    return 1;
  }
  remote.client.set_connection_timeout(10);
  remote.client.set_read_timeout(60);
  Diagnostics taxonomy_diagnostics;
  auto taxonomy = Taxonomy::load(o.content / "taxonomy.yaml", &taxonomy_diagnostics);
  if (!taxonomy) {
    for (const auto& d : taxonomy_diagnostics) std::cerr << d.format() << "\n";
    return 1;
  }
  auto list = remote.call("GET", "/api/admin/proposals?status=accettata");
  if (!list) return 1;

  // Every slug of the library: a new file must not take one.
  std::set<std::string> slugs;
  for (const auto& f : find_case_files(o.content)) slugs.insert(f.stem().string());

  std::vector<std::string> written;
  int failed = 0, pulled = 0;
  for (const auto& item : (*list)["proposals"]) {
    if (item.value("pulled", false)) continue;
    const std::string code = item.value("code", "");
    auto p = remote.call("GET", "/api/admin/proposals/" + code);
    if (!p) {
      ++failed;
      continue;
    }
    const std::string served = p->value("markdown", "");
    const std::string markdown = dated(
        served,
        rome_local(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count())
            .substr(0, 10));
    const std::string hub = p->value("hub", "");
    if (!text::is_slug(hub)) {
      std::cerr << "bp-index: proposta " << code << ": hub non valido '" << hub << "'\n";
      ++failed;
      continue;
    }
    const fs::path folder = o.content / "practices" / hub;
    // The first free slug, or the one this proposal was already written
    // under (a pull interrupted before the server heard of it).
    const std::string base = base_slug(p->value("title", ""));
    std::string slug = base;
    bool already = false;
    for (int n = 2;; ++n) {
      if (same_but_date(folder / (slug + ".md"), served)) {
        already = true;
        break;
      }
      if (!slugs.count(slug)) break;
      slug = base + "-" + std::to_string(n);
    }
    const fs::path file = folder / (slug + ".md");
    std::vector<std::string> files = {file.generic_string()};
    if (!already) write(file, markdown);
    const std::string image_name = p->value("image_name", "");
    if (!image_name.empty()) {
      const fs::path image = folder / slug / image_name;
      if (auto bytes = remote.bytes("/api/admin/proposals/" + code + "/image")) {
        if (!same_bytes(image, *bytes)) write(image, *bytes);
        files.push_back(image.generic_string());
      } else {
        ++failed;
        continue;
      }
    }
    slugs.insert(slug);
    // The file must pass the editors' check before the server hears of it.
    const LibraryCheck check = check_library(o.content, *taxonomy, {file});
    for (const auto& d : check.diagnostics) std::cout << d.format() << "\n";
    if (has_errors(check.diagnostics)) {
      std::cerr << "bp-index: " << file.generic_string() << " non passa il controllo: correggila a mano\n";
      ++failed;
      continue;
    }
    if (!remote.call("POST", "/api/admin/proposals/" + code + "/pulled", {{"slug", slug}})) {
      ++failed;
      continue;
    }
    std::cout << "scritta " << file.generic_string() << " (proposta " << code
              << "; non rinominarla: la proposta risulta pubblicata quando una pratica con questo nome è "
                 "nell'indice)\n";
    written.insert(written.end(), files.begin(), files.end());
    ++pulled;
  }
  if (written.empty()) {
    std::cout << "nessuna proposta accettata da scaricare\n";
  } else {
    std::string line = "git add";
    for (const auto& f : written) line += " " + f;
    std::cout << text::count_noun(pulled, "proposta scaricata", "proposte scaricate")
              << "; per aggiungerle alla biblioteca:\n"
              << line << "\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace bp::indexer
