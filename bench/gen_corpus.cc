// bp-gen-corpus: writes a benchmark library of N valid case files, and the
// fixed query mix, deterministically from a seed.
//
//   bp-gen-corpus --n N [--seed S] [--content library-content] --out DIR
//   bp-gen-corpus --queries-only [--seed S] [--content library-content] --out DIR
//
// DIR/taxonomy.yaml      copy of the starter library's taxonomy (and
//                        programme.yaml, which bp-server reads)
// DIR/practices/<hub>/<slug>.md
// DIR/queries.txt        300 queries, one per line: kind TAB q TAB filters
// DIR/queries-filtered.txt  the same queries, every third with facet filters
//
// The prose is Italian: sentences taken from the starter library's bodies
// (per section: a "Contesto" sentence stays in Contesto) mixed with the
// templates of corpus_words.h, whose slots take places, organisations,
// numbers and the theme's label and taxonomy synonyms, so no two documents
// are alike. Every document draws from its own generator seeded by (seed,
// index): document i is the same whatever N is.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "corpus_words.h"

namespace fs = std::filesystem;
namespace w = bp::bench::words;

namespace {

// splitmix64: tiny, fast, and the same sequence on every platform (the
// standard distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <class C>
  const auto& pick(const C& c) {
    return *(std::begin(c) + static_cast<std::ptrdiff_t>(below(std::size(c))));
  }

 private:
  std::uint64_t s_;
};

// Distinct indices [0, n) in random order, k of them.
std::vector<std::size_t> sample(Rng& rng, std::size_t n, std::size_t k) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  k = std::min(k, n);
  for (std::size_t i = 0; i < k; ++i) std::swap(all[i], all[i + rng.below(n - i)]);
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

struct Theme {
  std::string slug;
  std::string label;
  std::vector<std::string> synonyms;
};

struct Vocabulary {
  std::vector<std::string> hubs, dimensions, audiences, modules;
  std::vector<Theme> themes;
  std::map<std::string, std::string> region_hub;
  std::vector<int> sdgs;
};

Vocabulary load_taxonomy(const fs::path& file) {
  const YAML::Node root = YAML::LoadFile(file.string());
  Vocabulary v;
  for (const auto& n : root["hubs"]) v.hubs.push_back(n["slug"].as<std::string>());
  for (const auto& n : root["dimensions"]) v.dimensions.push_back(n["slug"].as<std::string>());
  for (const auto& n : root["audiences"]) v.audiences.push_back(n["slug"].as<std::string>());
  for (const auto& n : root["modules"]) v.modules.push_back(n["id"].as<std::string>());
  for (const auto& n : root["sdgs"]) v.sdgs.push_back(n["number"].as<int>());
  for (const auto& n : root["regions"])
    v.region_hub[n["slug"].as<std::string>()] = n["hub"].as<std::string>();
  for (const auto& n : root["themes"]) {
    Theme t{n["slug"].as<std::string>(), n["label"].as<std::string>(), {}};
    if (n["synonyms"])
      for (const auto& s : n["synonyms"]) t.synonyms.push_back(s.as<std::string>());
    v.themes.push_back(std::move(t));
  }
  return v;
}

// Body sections, in the order of docs/dev/formats.md.
constexpr std::string_view kSections[] = {
    "Contesto",   "Obiettivi", "Cosa è stato fatto", "Risultati", "Risorse necessarie",
    "Difficoltà e lezioni apprese", "Trasferibilità", "Per approfondire"};
constexpr int kSectionCount = 8;
constexpr bool kBulletSection[kSectionCount] = {false, true, false, false, true, false, false, false};
// Share of a document's words per section.
constexpr double kSectionShare[kSectionCount] = {0.18, 0.10, 0.30, 0.13, 0.08, 0.11, 0.05, 0.05};

struct SentenceBank {
  std::vector<std::string> sentences[kSectionCount];
  std::vector<std::string> bullets[kSectionCount];
};

bool usable(std::string_view s) {
  if (s.size() < 20) return false;
  for (std::string_view bad : {"[", "]", "<", ">", "http", "`", "|", "*", "#"})
    if (s.find(bad) != std::string_view::npos) return false;
  return true;
}

bool starts_upper(std::string_view rest) {
  if (rest.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(rest[0]);
  if (c >= 'A' && c <= 'Z') return true;
  if (c == '"') return true;
  // UTF-8 À..Ý (C3 80..C3 9D): È, É, À, ...
  return c == 0xC3 && rest.size() > 1 && static_cast<unsigned char>(rest[1]) < 0xA0;
}

std::vector<std::string> split_sentences(const std::string& para) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < para.size(); ++i) {
    const char c = para[i];
    if ((c == '.' || c == '!' || c == '?') && para[i + 1] == ' ' &&
        starts_upper(std::string_view(para).substr(i + 2))) {
      // Not after a one- or two-letter abbreviation ("n. 3", "S. Maria").
      std::size_t k = i;
      while (k > start && para[k - 1] != ' ') --k;
      if (i - k <= 2) continue;
      out.push_back(para.substr(start, i + 1 - start));
      start = i + 2;
    }
  }
  if (start < para.size()) out.push_back(para.substr(start));
  return out;
}

SentenceBank load_bank(const fs::path& content) {
  SentenceBank bank;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(content / "practices"))
    if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    int fences = 0;
    int section = -1;
    while (std::getline(in, line)) {
      if (fences < 2) {
        if (line == "---") ++fences;
        continue;
      }
      if (line.rfind("## ", 0) == 0) {
        section = -1;
        for (int s = 0; s < kSectionCount; ++s)
          if (line.substr(3) == kSections[s]) section = s;
        continue;
      }
      if (section < 0 || line.empty() || line[0] == '#') continue;
      if (line.rfind("- ", 0) == 0) {
        const std::string item = line.substr(2);
        if (usable(item)) bank.bullets[section].push_back(item);
        continue;
      }
      for (auto& s : split_sentences(line))
        if (usable(s)) bank.sentences[section].push_back(s);
    }
  }
  return bank;
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::string upper_first(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// ASCII slug of Italian text (accented vowels lose their accent).
std::string slugify(std::string_view s) {
  std::string out;
  bool dash = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char a = 0;
    if (c >= 'A' && c <= 'Z') a = static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) a = static_cast<char>(c);
    else if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[++i]) | 0x20;  // upper -> lower
      if (d >= 0xA0 && d <= 0xA5) a = 'a';
      else if (d >= 0xA8 && d <= 0xAB) a = 'e';
      else if (d >= 0xAC && d <= 0xAF) a = 'i';
      else if (d >= 0xB2 && d <= 0xB6) a = 'o';
      else if (d >= 0xB9 && d <= 0xBC) a = 'u';
    }
    if (a) {
      if (dash && !out.empty()) out += '-';
      out += a;
      dash = false;
    } else {
      dash = true;
    }
  }
  return out;
}

std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Everything one document's sentences may mention.
struct Slots {
  std::map<std::string, std::string> fixed;  // city, org, region_in, year, ...
  std::vector<std::string> topics;           // theme labels, lower-case
  std::vector<std::string> keywords;         // taxonomy synonyms of the themes
};

std::string fill(std::string_view tpl, const Slots& slots, Rng& rng) {
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{') {
      out += tpl[i];
      continue;
    }
    const std::size_t end = tpl.find('}', i);
    const std::string key(tpl.substr(i + 1, end - i - 1));
    i = end;
    if (key == "topic") out += slots.topics.front();
    else if (key == "topic2") out += rng.pick(slots.topics);
    else if (key == "keyword") out += slots.keywords.empty() ? slots.topics.front() : rng.pick(slots.keywords);
    else if (key == "n") out += std::to_string(rng.range(2, 60) * (rng.chance(0.5) ? 10 : 1));
    else if (key == "n2") out += std::to_string(rng.range(2, 12));
    else if (key == "pct") out += std::to_string(rng.range(10, 85));
    else if (key == "month") out += rng.pick(w::kMonths);
    else if (key == "people") out += rng.pick(w::kPeople);
    else if (key == "partner") out += rng.pick(w::kPartners);
    else if (key == "problem") out += rng.pick(w::kProblems);
    else if (key == "quarter") out += rng.pick(w::kQuarters);
    else {
      const std::string& value = slots.fixed.at(key);
      // "a Agrigento" -> "ad Agrigento".
      if (out.size() >= 2 && out.compare(out.size() - 2, 2, " a") == 0 && !value.empty() &&
          std::string_view("AEIOU").find(value[0]) != std::string_view::npos)
        out += 'd';
      out += value;
    }
  }
  // A sentence may start with a slot ("{quarter} di ...").
  return upper_first(out);
}

template <std::size_t N>
std::string sentence(int section, const SentenceBank& bank, const std::string_view (&templates)[N],
                     const Slots& slots, Rng& rng, double template_share) {
  const auto& real = kBulletSection[section] ? bank.bullets[section] : bank.sentences[section];
  if (real.empty() || rng.chance(template_share)) return fill(rng.pick(templates), slots, rng);
  return rng.pick(real);
}

std::string section_sentence(int s, const SentenceBank& bank, const Slots& slots, Rng& rng) {
  constexpr double k = 0.4;  // share of template sentences
  switch (s) {
    case 0: return sentence(s, bank, w::kContextTemplates, slots, rng, k);
    case 1: return sentence(s, bank, w::kGoalTemplates, slots, rng, k);
    case 2: return sentence(s, bank, w::kDoneTemplates, slots, rng, k);
    case 3: return sentence(s, bank, w::kResultTemplates, slots, rng, k);
    case 4: return sentence(s, bank, w::kResourceTemplates, slots, rng, k);
    case 5: return sentence(s, bank, w::kLessonTemplates, slots, rng, k);
    case 6: return sentence(s, bank, w::kTransferTemplates, slots, rng, k);
    default: return sentence(s, bank, w::kMoreTemplates, slots, rng, k);
  }
}

struct Generated {
  std::string hub;
  std::string slug;
  std::string text;
};

std::string date_string(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

Generated make_practice(std::size_t index, std::uint64_t seed, const Vocabulary& v,
                        const SentenceBank& bank, const std::vector<std::string>& earlier_slugs) {
  Rng rng(seed * 0x100000001B3ull + index * 0x9E3779B97F4A7C15ull + 1);
  const auto& place = rng.pick(w::kRegions);
  const std::string region(place.slug);
  const std::string hub = v.region_hub.at(region);
  const std::string city(rng.pick(place.cities));

  // Themes: 1-3, the first is the main one.
  const auto theme_idx = sample(rng, v.themes.size(), 1 + rng.below(3));
  std::vector<const Theme*> themes;
  for (auto i : theme_idx) themes.push_back(&v.themes[i]);
  std::swap(themes[0], themes[rng.below(themes.size())]);

  std::string org = std::string(rng.pick(w::kOrgTypes)) + " " + std::string(rng.pick(w::kOrgNames));
  if (rng.chance(0.3)) org += " " + city;
  const int year = rng.range(2015, 2023);

  Slots slots;
  slots.fixed = {{"city", city}, {"region_in", std::string(place.in)}, {"org", org},
                 {"year", std::to_string(year)}};
  for (const auto* t : themes) {
    std::string label = t->label;
    for (auto& c : label)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    slots.topics.push_back(label);
    for (const auto& s : t->synonyms) slots.keywords.push_back(s);
  }

  // Title, slug, summary.
  const std::string topic_cap = upper_first(slots.topics.front());
  std::string title;
  switch (rng.below(3)) {
    case 0: title = topic_cap + (std::string_view("AEIOU").find(city[0]) != std::string_view::npos ? " ad " : " a ") + city + ": " + std::string(rng.pick(w::kHooks)); break;
    case 1: title = org + " e " + slots.topics.front() + ", " + std::string(rng.pick(w::kHooks)); break;
    default: title = topic_cap + " " + std::string(rng.pick(w::kQuarters)) + " di " + city; break;
  }
  const std::string slug = slugify(slots.topics.front() + " " + city) + "-" + std::to_string(index + 1);
  std::string summary = fill(rng.pick(w::kContextTemplates), slots, rng) + " " +
                        fill(rng.pick(w::kDoneTemplates), slots, rng);
  if (code_points(summary) > 400) summary = fill(w::kContextTemplates[0], slots, rng);

  std::ostringstream o;
  o << "---\n";
  o << "title: " << yaml_quote(title) << "\n";
  o << "summary: " << yaml_quote(summary) << "\n";
  o << "hub: " << hub << "\nregion: " << region << "\ncity: " << yaml_quote(city) << "\n";
  o << "themes: [";
  for (std::size_t i = 0; i < themes.size(); ++i) o << (i ? ", " : "") << themes[i]->slug;
  o << "]\n";
  auto list = [&](const char* key, const std::vector<std::string>& all, std::size_t lo, std::size_t hi) {
    const auto idx = sample(rng, all.size(), lo + rng.below(hi - lo + 1));
    if (idx.empty()) return;
    o << key << ": [";
    for (std::size_t i = 0; i < idx.size(); ++i) o << (i ? ", " : "") << all[idx[i]];
    o << "]\n";
  };
  list("dimensions", v.dimensions, 1, 3);
  {
    const auto idx = sample(rng, v.sdgs.size(), 1 + rng.below(4));
    o << "sdgs: [";
    for (std::size_t i = 0; i < idx.size(); ++i) o << (i ? ", " : "") << v.sdgs[idx[i]];
    o << "]\n";
  }
  o << "organisation: " << yaml_quote(org) << "\n";
  o << "year: " << year << "\n";
  list("audience", v.audiences, 0, 3);
  list("modules", v.modules, 0, 2);
  const int date_year = std::max(year, rng.range(2022, 2023));
  const int month = rng.range(1, 12);
  o << "date: " << date_string(date_year, month, rng.range(1, 28)) << "\n";
  {
    std::vector<std::string> tags;
    for (int i = 0, n = rng.range(2, 5); i < n; ++i)
      tags.push_back(slots.keywords.empty() ? slots.topics.front() : rng.pick(slots.keywords));
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    o << "tags: [";
    for (std::size_t i = 0; i < tags.size(); ++i) o << (i ? ", " : "") << yaml_quote(tags[i]);
    o << "]\n";
  }
  o << "status: " << (rng.chance(0.6) ? "in-corso" : "concluso") << "\n";
  static constexpr const char* kLevels[] = {"alta", "media", "bassa"};
  o << "transferability:\n  level: " << rng.pick(kLevels) << "\n  notes: "
    << yaml_quote(fill(rng.pick(w::kTransferTemplates), slots, rng)) << "\n";
  o << "results:\n";
  for (int i = 0, n = rng.range(1, 3); i < n; ++i) {
    const std::size_t k = rng.below(std::size(w::kIndicators));
    o << "  - {indicator: " << yaml_quote(w::kIndicators[k]) << ", value: " << rng.range(5, 5000)
      << ", unit: " << w::kUnits[k] << "}\n";
  }
  const std::string person = std::string(rng.pick(w::kFirstNames)) + " " + std::string(rng.pick(w::kLastNames));
  std::string mailbox = slugify(org);
  mailbox.erase(std::remove(mailbox.begin(), mailbox.end(), '-'), mailbox.end());
  o << "contacts:\n  - {name: " << yaml_quote(person) << ", role: " << yaml_quote(rng.pick(w::kRoles))
    << ", email: \"" << mailbox << "@example.org\"}\n";
  o << "resources:\n  - {title: " << yaml_quote("Scheda del progetto " + std::string(rng.pick(w::kOrgNames)))
    << ", url: \"https://example.org/" << slug << "/scheda.pdf\"}\n";
  static constexpr const char* kLicenses[] = {"CC-BY-4.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0"};
  o << "license: " << rng.pick(kLicenses) << "\n";
  if (!earlier_slugs.empty() && rng.chance(0.4)) {
    const std::size_t from = earlier_slugs.size() > 200 ? earlier_slugs.size() - 200 : 0;
    o << "related: [" << earlier_slugs[from + rng.below(earlier_slugs.size() - from)] << "]\n";
  }
  o << "last_reviewed: " << date_string(2023, rng.range(month, 12), rng.range(1, 28)) << "\n";
  o << "language: it\n";
  if (rng.chance(0.2)) {
    o << "didattica:\n  levels: [" << (rng.chance(0.5) ? "primaria, secondaria-1" : "secondaria-2") << "]\n"
      << "  subjects: [educazione civica, scienze]\n"
      << "  objectives:\n    - " << yaml_quote("Capire che cosa significa " + slots.topics.front()) << "\n"
      << "  duration_minutes: " << rng.range(2, 8) * 30 << "\n"
      << "  activities:\n    - {title: " << yaml_quote("Laboratorio a " + city) << ", description: "
      << yaml_quote(fill(rng.pick(w::kDoneTemplates), slots, rng)) << ", duration_minutes: 60}\n";
  }
  o << "---\n";

  // Body: 300-1,500 words shared out over the eight sections.
  const std::size_t target = 300 + rng.below(1201);
  std::size_t words = 0;
  for (int s = 0; s < kSectionCount; ++s) {
    o << "\n## " << kSections[s] << "\n\n";
    const std::size_t budget = std::max<std::size_t>(12, static_cast<std::size_t>(target * kSectionShare[s]));
    std::size_t used = 0;
    if (kBulletSection[s]) {
      o << "Il progetto " << (s == 1 ? "si è dato questi obiettivi" : "ha avuto bisogno di") << ":\n\n";
      while (used < budget) {
        const std::string item = section_sentence(s, bank, slots, rng);
        o << "- " << item << "\n";
        used += word_count(item);
      }
    } else {
      std::size_t in_para = 0;
      const std::size_t para_len = 3 + rng.below(4);
      while (used < budget) {
        std::string sent = section_sentence(s, bank, slots, rng);
        if (in_para == para_len) {
          o << "\n\n";
          in_para = 0;
        } else if (in_para > 0) {
          o << ' ';
        }
        o << sent;
        used += word_count(sent);
        ++in_para;
      }
      o << "\n";
    }
    words += used;
  }
  (void)words;
  return {hub, slug, o.str()};
}

// ---- queries ----------------------------------------------------------------

const std::set<std::string>& query_stopwords() {
  static const std::set<std::string> k = {
      "della", "delle", "degli", "dalla", "dalle", "dagli", "nella", "nelle", "negli", "sulla",
      "sulle", "sugli", "alla", "alle", "agli", "sono", "stato", "stata", "stati", "state", "anche",
      "come", "questo", "questa", "questi", "queste", "quello", "quella", "quelli", "quelle", "dove",
      "quando", "perché", "però", "loro", "ogni", "tutto", "tutti", "tutte", "tutta", "molto",
      "molti", "molte", "più", "hanno", "viene", "vengono", "essere", "fare", "così", "dopo",
      "prima", "senza", "mentre", "oltre", "circa", "altri", "altre", "altro", "altra", "ancora",
      "solo", "sempre", "parte", "dell", "nell", "dall", "sull", "quale", "quali", "proprio",
      "invece", "verso", "fino", "nostro", "nostra", "nostri", "loro", "abbiamo", "erano", "anni",
      "aveva", "avevano", "qualche", "della", "ciascuno", "dell'", "nell'", "sull'", "all'",
  };
  return k;
}

// Words of a sentence: letters (ASCII or UTF-8 multi-byte) and apostrophes
// inside; elided articles stay attached ("dell'ambiente") and are skipped.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80) cur += c;
    else flush();
    // An apostrophe ends the elided word: keep only what follows.
    if (c == '\'') cur.clear();
  }
  flush();
  return out;
}

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool content_word(const std::string& word) {
  return code_points(word) >= 4 && !query_stopwords().count(word);
}

bool has_accent(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string strip_accents(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[++i]);
      const unsigned char l = d | 0x20;
      char a = '?';
      if (l >= 0xA0 && l <= 0xA5) a = 'a';
      else if (l >= 0xA8 && l <= 0xAB) a = 'e';
      else if (l >= 0xAC && l <= 0xAF) a = 'i';
      else if (l >= 0xB2 && l <= 0xB6) a = 'o';
      else if (l >= 0xB9 && l <= 0xBC) a = 'u';
      out += (d & 0x20) ? a : static_cast<char>(a - 'a' + 'A');
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// One typo in a word of at least 5 ASCII letters: swap, drop, double or
// replace a letter away from the first one.
std::string with_typo(std::string word, Rng& rng) {
  std::vector<std::size_t> ascii;
  for (std::size_t i = 1; i + 1 < word.size(); ++i)
    if (word[i] >= 'a' && word[i] <= 'z' && word[i + 1] >= 'a' && word[i + 1] <= 'z') ascii.push_back(i);
  if (ascii.empty()) return word;
  const std::size_t i = rng.pick(ascii);
  switch (rng.below(4)) {
    case 0: std::swap(word[i], word[i + 1]); break;
    case 1: word.erase(i, 1); break;
    case 2: word.insert(i, 1, word[i]); break;
    default: word[i] = static_cast<char>('a' + (word[i] - 'a' + 1 + rng.below(25)) % 26); break;
  }
  return word;
}

struct Query {
  std::string kind;
  std::string q;
  std::string filters;
};

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::vector<Query> make_queries(std::uint64_t seed, const Vocabulary& v, const SentenceBank& bank) {
  Rng rng(seed ^ 0x51A7E5EEDull);
  // Word runs from real sentences (content words only, lower-case).
  std::vector<std::vector<std::string>> runs;
  for (int s = 0; s < kSectionCount; ++s)
    for (const auto* list : {&bank.sentences[s], &bank.bullets[s]})
      for (const auto& sent : *list) {
        std::vector<std::string> run;
        for (auto& word : words_of(sent)) {
          std::string l = lower_ascii(word);
          if (content_word(l)) run.push_back(l);
        }
        if (!run.empty()) runs.push_back(run);
      }
  std::vector<std::string> phrases;  // theme labels and synonyms of <= 3 words
  for (const auto& t : v.themes) {
    phrases.push_back(lower_ascii(t.label));
    for (const auto& s : t.synonyms)
      if (word_count(s) <= 3 && s.find('\'') == std::string::npos) phrases.push_back(s);
  }
  std::vector<std::string> cities;
  for (const auto& r : w::kRegions)
    for (auto c : r.cities)
      if (c.find('\'') == std::string_view::npos) cities.emplace_back(c);

  auto base = [&]() {
    const std::size_t nwords = rng.chance(0.45) ? 1 : rng.chance(0.6) ? 2 : 3;
    const double r = static_cast<double>(rng.below(100)) / 100.0;
    if (r < 0.55) {
      const auto& run = rng.pick(runs);
      const std::size_t k = std::min(nwords, run.size());
      const std::size_t at = rng.below(run.size() - k + 1);
      std::vector<std::string> q(run.begin() + static_cast<std::ptrdiff_t>(at),
                                 run.begin() + static_cast<std::ptrdiff_t>(at + k));
      return join(q, " ");
    }
    if (r < 0.85) return std::string(rng.pick(phrases));
    const auto& run = rng.pick(runs);
    return lower_ascii(rng.pick(run)) + " " + rng.pick(cities);
  };

  std::vector<Query> out;
  for (int i = 0; i < 300; ++i) {
    const int kind = i % 20;  // 11 plain, 3 unaccented, 3 typo, 3 prefix in 20
    Query q;
    if (kind < 11) {
      q = {"plain", base(), ""};
    } else if (kind < 14) {
      std::string s = base();
      for (int tries = 0; tries < 30 && !has_accent(s); ++tries) s = base();
      q = {"unaccented", strip_accents(s), ""};
    } else if (kind < 17) {
      auto ws = words_of(base());
      std::size_t longest = 0;
      for (std::size_t k = 0; k < ws.size(); ++k)
        if (ws[k].size() > ws[longest].size()) longest = k;
      if (!ws.empty() && ws[longest].size() >= 5) ws[longest] = with_typo(ws[longest], rng);
      q = {"typo", join(ws, " "), ""};
    } else {
      auto ws = words_of(base());
      std::string& last = ws.back();
      const std::size_t n = code_points(last);
      if (n > 3) {
        std::size_t keep = 3 + rng.below(n - 3);  // code points
        std::size_t bytes = 0;
        for (std::size_t cp = 0; bytes < last.size() && cp < keep; ++cp) {
          ++bytes;
          while (bytes < last.size() && (static_cast<unsigned char>(last[bytes]) & 0xC0) == 0x80) ++bytes;
        }
        last.resize(bytes);
      }
      q = {"prefix", join(ws, " "), ""};
    }
    out.push_back(q);
  }
  // Filtered variant: every third query gets facet filters (hub, theme,
  // dimension; sometimes two values of one facet, OR-ed).
  for (std::size_t i = 0; i < out.size(); i += 3) {
    std::vector<std::string> f;
    const int what = rng.range(0, 5);
    if (what == 0 || what == 3) f.push_back("hub=" + rng.pick(v.hubs));
    if (what == 1 || what == 3 || what == 4) {
      const auto idx = sample(rng, v.themes.size(), rng.chance(0.3) ? 2 : 1);
      for (auto k : idx) f.push_back("theme=" + v.themes[k].slug);
    }
    if (what == 2 || what == 4 || what == 5) f.push_back("dimension=" + rng.pick(v.dimensions));
    out[i].filters = join(f, "&");
  }
  return out;
}

void write_queries(const fs::path& file, const std::vector<Query>& queries, bool with_filters) {
  std::ofstream o(file);
  for (const auto& q : queries) o << q.kind << '\t' << q.q << '\t' << (with_filters ? q.filters : "") << '\n';
}

struct Args {
  std::size_t n = 0;
  std::uint64_t seed = 1;
  fs::path content = "library-content";
  fs::path out;
  bool queries_only = false;
};

}  // namespace

int main(int argc, char** argv) try {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + f);
      return argv[++i];
    };
    if (f == "--n") a.n = std::stoul(value());
    else if (f == "--seed") a.seed = std::stoull(value());
    else if (f == "--content") a.content = value();
    else if (f == "--out") a.out = value();
    else if (f == "--queries-only") a.queries_only = true;
    else throw std::runtime_error("unknown option " + f +
                                  "\nusage: bp-gen-corpus --n N [--seed S] [--content DIR] --out DIR"
                                  " | --queries-only --out DIR");
  }
  if (a.out.empty()) throw std::runtime_error("--out DIR is required");
  const Vocabulary vocab = load_taxonomy(a.content / "taxonomy.yaml");
  const SentenceBank bank = load_bank(a.content);
  fs::create_directories(a.out);
  const auto queries = make_queries(a.seed, vocab, bank);
  write_queries(a.out / "queries.txt", queries, false);
  write_queries(a.out / "queries-filtered.txt", queries, true);
  if (a.queries_only) return 0;

  fs::copy_file(a.content / "taxonomy.yaml", a.out / "taxonomy.yaml", fs::copy_options::overwrite_existing);
  // The server's registration module reads the programme from the same folder.
  if (fs::exists(a.content / "programme.yaml"))
    fs::copy_file(a.content / "programme.yaml", a.out / "programme.yaml", fs::copy_options::overwrite_existing);
  for (const auto& hub : vocab.hubs) fs::create_directories(a.out / "practices" / hub);
  std::vector<std::string> slugs;
  slugs.reserve(a.n);
  std::uint64_t bytes = 0, words = 0;
  for (std::size_t i = 0; i < a.n; ++i) {
    Generated g = make_practice(i, a.seed, vocab, bank, slugs);
    std::ofstream(a.out / "practices" / g.hub / (g.slug + ".md"), std::ios::binary) << g.text;
    bytes += g.text.size();
    words += word_count(g.text);
    slugs.push_back(std::move(g.slug));
  }
  std::cout << "bp-gen-corpus: " << a.n << " case files, " << bytes / 1e6 << " MB, "
            << (a.n ? words / a.n : 0) << " words per file on average, in " << a.out.string() << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bp-gen-corpus: " << e.what() << "\n";
  return 1;
}
