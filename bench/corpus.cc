#include "corpus.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bp/diagnostic.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "corpus_words.h"
#include <yaml-cpp/yaml.h>

namespace bp::bench {
namespace fs = std::filesystem;
namespace w = words;
namespace {

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

std::string upper_first(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
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

std::string date_string(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::vector<std::size_t> sample(Rng& rng, std::size_t n, std::size_t k) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  k = std::min(k, n);
  for (std::size_t i = 0; i < k; ++i) std::swap(all[i], all[i + rng.below(n - i)]);
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}


CorpusVocabulary load_vocabulary(const fs::path& taxonomy_file) {
  Diagnostics diagnostics;
  const std::optional<Taxonomy> taxonomy = Taxonomy::load(taxonomy_file, &diagnostics);
  if (!taxonomy || has_errors(diagnostics)) {
    std::string message = "unusable taxonomy " + taxonomy_file.string();
    for (const auto& d : diagnostics) message += "\n" + d.format();
    throw std::runtime_error(message);
  }
  auto slugs = [&](const char* name) {
    const Vocabulary* vocabulary = taxonomy->vocabulary(name);
    return vocabulary ? vocabulary->slugs() : std::vector<std::string>();
  };
  CorpusVocabulary v;
  v.hubs = slugs("hub");
  v.dimensions = slugs("dimension");
  v.audiences = slugs("audience");
  v.modules = slugs("module");
  for (const auto& s : slugs("sdg")) v.sdgs.push_back(std::stoi(s));
  for (const auto& region : slugs("region")) v.region_hub[region] = taxonomy->hub_of_region(region);
  if (const Vocabulary* themes = taxonomy->vocabulary("theme"))
    for (const Term& t : themes->terms) v.themes.push_back({t.slug, t.label, t.synonyms});
  return v;
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
    std::string front;
    while (std::getline(in, line)) {
      if (fences < 2) {
        if (line == "---" && ++fences == 2) {
          // The editors' words of the front matter.
          const YAML::Node node = YAML::Load(front);
          if (const YAML::Node plain = node["in_parole_semplici"]; plain && plain.IsScalar())
            for (auto& s : split_sentences(plain.as<std::string>()))
              if (usable(s)) bank.plain_words.push_back(s);
          if (const YAML::Node asked = node["domande"]; asked && asked.IsSequence())
            for (const YAML::Node& q : asked)
              if (q.IsScalar()) bank.questions.push_back(q.as<std::string>());
        } else if (fences == 1) {
          front += line + "\n";
        }
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

Generated make_practice(std::size_t index, std::uint64_t seed, const CorpusVocabulary& v,
                        const SentenceBank& bank, const std::vector<std::string>& earlier_slugs,
                        bool editors_words) {
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
  const std::string slug = text::slugify(slots.topics.front() + " " + city) + "-" + std::to_string(index + 1);
  std::string summary = fill(rng.pick(w::kContextTemplates), slots, rng) + " " +
                        fill(rng.pick(w::kDoneTemplates), slots, rng);
  if (text::code_points(summary) > 400) summary = fill(w::kContextTemplates[0], slots, rng);

  std::ostringstream o;
  o << "---\n";
  o << "title: " << yaml_quote(title) << "\n";
  o << "summary: " << yaml_quote(summary) << "\n";
  if (editors_words && !bank.plain_words.empty() && bank.questions.size() >= 10) {
    // At most 600 characters, as the validator wants (at least one sentence).
    std::string plain;
    for (int i = 0, n = rng.range(2, 4); i < n; ++i) {
      const std::string& sentence = rng.pick(bank.plain_words);
      if (!plain.empty() && text::code_points(plain) + 1 + text::code_points(sentence) > 600) break;
      plain += (plain.empty() ? "" : " ") + sentence;
    }
    o << "in_parole_semplici: " << yaml_quote(plain) << "\n";
    o << "domande:\n";
    for (auto i : sample(rng, bank.questions.size(), static_cast<std::size_t>(rng.range(3, 10))))
      o << "  - " << yaml_quote(bank.questions[i]) << "\n";
  }
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
  std::string mailbox = text::slugify(org);
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


}  // namespace bp::bench
