#include "search_thesaurus.h"

#include <hunspell.hxx>
#include <mythes.hxx>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <system_error>

#include "bp/text.h"

namespace bp::search {
namespace {

namespace fs = std::filesystem;

bool readable(const fs::path& p) {
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

// The first th_it_IT*.idx in `dir` with its .dat beside it.
void find_mythes(const fs::path& dir, ThesaurusFiles* files) {
  std::error_code ec;
  std::vector<fs::path> found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("th_it_IT", 0) == 0 && it->path().extension() == ".idx") found.push_back(it->path());
  }
  std::sort(found.rbegin(), found.rend());  // th_it_IT_v2 before th_it_IT
  for (const fs::path& idx : found) {
    fs::path dat = idx;
    dat.replace_extension(".dat");
    if (readable(dat)) {
      files->mythes_idx = idx;
      files->mythes_dat = dat;
      return;
    }
  }
}

ThesaurusAlternative::Pos pos_of(const char* definition) {
  // Definitions start with the part of speech: "(s.m.)", "(agg. Avvilito)", "(v.)".
  const std::string d = definition == nullptr ? "" : definition;
  auto starts = [&](const char* p) { return d.rfind(p, 0) == 0; };
  if (starts("(s.")) return ThesaurusAlternative::Pos::kNoun;
  if (starts("(v.") || starts("(v ")) return ThesaurusAlternative::Pos::kVerb;
  if (starts("(agg.")) return ThesaurusAlternative::Pos::kAdjective;
  return ThesaurusAlternative::Pos::kOther;
}

}  // namespace

ThesaurusFiles Thesaurus::discover() {
  ThesaurusFiles files;
  const char* env = std::getenv("BP_THESAURUS_DIR");
  const fs::path mythes_dir = env != nullptr ? fs::path(env) : fs::path("/usr/share/mythes");
  const fs::path hunspell_dir = env != nullptr ? fs::path(env) : fs::path("/usr/share/hunspell");
  find_mythes(mythes_dir, &files);
  if (readable(hunspell_dir / "it_IT.aff") && readable(hunspell_dir / "it_IT.dic")) {
    files.hunspell_aff = hunspell_dir / "it_IT.aff";
    files.hunspell_dic = hunspell_dir / "it_IT.dic";
  }
  if (files.mythes_idx.empty()) files.mythes_idx = mythes_dir / "th_it_IT_v2.idx";  // for the warning
  return files;
}

std::unique_ptr<Thesaurus> Thesaurus::open(const ThesaurusFiles& files, std::string* warning) {
  std::unique_ptr<Thesaurus> t(new Thesaurus());
  if (!readable(files.mythes_idx) || !readable(files.mythes_dat)) {
    *warning = "Italian thesaurus not found (" + files.mythes_idx.string() +
               "; Debian package mythes-it): searching without it";
    return t;
  }
  // The index lists the entries: "word|offset", after the encoding line.
  std::ifstream idx(files.mythes_idx);
  std::string line;
  std::getline(idx, line);  // encoding
  std::getline(idx, line);  // count
  while (std::getline(idx, line)) {
    const auto bar = line.find('|');
    if (bar == std::string::npos || bar == 0) continue;
    const std::string entry = line.substr(0, bar);
    t->entries_[text::fold_lower(entry)].push_back(entry);
  }
  for (const auto& [folded, written] : t->entries_)
    if (folded.find(' ') == std::string::npos) t->one_word_entries_.push_back(folded);
  std::sort(t->one_word_entries_.begin(), t->one_word_entries_.end());
  if (t->entries_.empty()) {
    *warning = "Italian thesaurus " + files.mythes_idx.string() + " has no entries: searching without it";
    return t;
  }
  t->thes_ = std::make_unique<MyThes>(files.mythes_idx.c_str(), files.mythes_dat.c_str());
  if (readable(files.hunspell_aff) && readable(files.hunspell_dic)) {
    t->hunspell_ = std::make_unique<Hunspell>(files.hunspell_aff.c_str(), files.hunspell_dic.c_str());
  } else {
    *warning = "Italian Hunspell dictionary not found (it_IT.aff/.dic; Debian package "
               "hunspell-it): thesaurus lookups without lemmas";
  }
  return t;
}

const Thesaurus& Thesaurus::shared() {
  static const std::unique_ptr<Thesaurus> instance = [] {
    std::string warning;
    std::unique_ptr<Thesaurus> t = open(discover(), &warning);
    if (!warning.empty()) std::cerr << "bp: warning: " << warning << "\n";
    return t;
  }();
  return *instance;
}

Thesaurus::~Thesaurus() = default;

std::vector<std::string> Thesaurus::lemmas(const std::string& folded_word) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lemmas_locked(folded_word);
}

std::vector<std::string> Thesaurus::lemmas_locked(const std::string& folded_word) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& candidate) {
    auto it = entries_.find(text::fold_lower(candidate));
    if (it == entries_.end()) return;
    for (const std::string& e : it->second)
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  add(folded_word);
  if (hunspell_) {
    for (const std::string& stem : hunspell_->stem(folded_word)) add(stem);
  }
  return out;
}

bool Thesaurus::is_word(const std::string& lower_word) const {
  if (!hunspell_ || lower_word.empty()) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  return hunspell_->spell(lower_word);
}

std::vector<std::string> Thesaurus::close_entries(const std::string& folded_word, int max_edits) const {
  if (!hunspell_) return {};
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::string& w : text::close_words(one_word_entries_, folded_word, max_edits)) {
    // Hunspell knows the entry as written ("povertà", not "poverta").
    const std::vector<std::string>& written = entries_.at(w);
    if (std::any_of(written.begin(), written.end(), [&](const std::string& e) { return hunspell_->spell(e); }))
      out.push_back(std::move(w));
  }
  return out;
}

bool Thesaurus::is_infinitive(const std::string& folded_word) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return is_infinitive_locked(folded_word);
}

bool Thesaurus::is_infinitive_locked(const std::string& folded_word) const {
  const std::size_t n = folded_word.size();
  if (!thes_ || n < 4) return false;
  const std::string end = folded_word.substr(n - 3);
  if (end != "are" && end != "ere" && end != "ire" && end != "rre") return false;
  auto it = entries_.find(folded_word);
  if (it == entries_.end()) return false;
  bool verb = false;
  for (const std::string& entry : it->second) {
    mentry* meanings = nullptr;
    const int count = thes_->Lookup(entry.c_str(), static_cast<int>(entry.size()), &meanings);
    for (int m = 0; m < count; ++m) verb = verb || pos_of(meanings[m].defn) == ThesaurusAlternative::Pos::kVerb;
    if (meanings != nullptr) thes_->CleanUpAfterLookup(&meanings, count);
  }
  return verb;
}

bool Thesaurus::nominal_locked(const std::string& folded_word) const {
  if (!hunspell_) return false;
  for (const std::string& stem : hunspell_->stem(folded_word))
    if (!is_infinitive_locked(text::fold_lower(stem))) return true;
  return false;
}

namespace {
// The singulars a plural of 4 letters or more may have: "-e" of "-a"
// ("scolare": "scolara"), "-i" of "-o", "-e" or "-a" ("scarti": "scarto").
std::vector<std::string> plural_singulars(const std::string& folded_word) {
  const std::size_t n = folded_word.size();
  if (n < 4) return {};
  const std::string body = folded_word.substr(0, n - 1);
  const char last = folded_word.back();
  const std::string endings = last == 'e' ? "a" : last == 'i' ? "oea" : "";
  std::vector<std::string> out;
  for (char e : endings) out.push_back(body + e);
  return out;
}
}  // namespace

bool Thesaurus::only_verb_but_a_plural_locked(const std::string& folded_word) const {
  // Read as a verb's form: Hunspell knows the word, and not as a noun's.
  if (!hunspell_ || hunspell_->stem(folded_word).empty() || nominal_locked(folded_word)) return false;
  // A plural whose singular Hunspell knows as a noun or an adjective:
  // "scolare" is "scolara" in the plural, though Hunspell reads it as the
  // verb only.
  for (const std::string& singular : plural_singulars(folded_word))
    if (hunspell_->spell(singular) && nominal_locked(singular)) return true;
  return false;
}

namespace {
// The Italian alteration suffixes, without their gender and number ending.
constexpr const char* kAlterationSuffixes[] = {"icell", "olin", "ett", "ell", "in", "on", "acc", "ucc", "ott", "astr"};

// The roots of `word` read as an altered word: the word without its ending
// vowel and an alteration suffix, at least 3 letters ("borsetta": "bors").
std::vector<std::string> altered_roots(const std::string& word) {
  std::vector<std::string> out;
  if (word.size() < 7) return out;
  const char last = word.back();
  if (last != 'o' && last != 'a' && last != 'e' && last != 'i') return out;
  const std::string body = word.substr(0, word.size() - 1);
  for (const char* suffix : kAlterationSuffixes) {
    const std::string sfx = suffix;
    if (body.size() < sfx.size() + 3 || body.compare(body.size() - sfx.size(), sfx.size(), sfx) != 0) continue;
    out.push_back(body.substr(0, body.size() - sfx.size()));
  }
  return out;
}
}  // namespace

std::vector<std::string> Thesaurus::altered_bases(const std::string& folded_word) const {
  std::vector<std::string> out;
  if (!hunspell_ || folded_word.size() < 7) return out;
  std::lock_guard<std::mutex> lock(mutex_);
  // An entry of its own, or a lemma that is one ("panini" -> "panino"): a word, not an alteration.
  if (!lemmas_locked(folded_word).empty()) return out;
  const char last = folded_word.back();
  for (const std::string& root : altered_roots(folded_word)) {
    // The same ending first (plural stays plural), then the others.
    std::string endings = std::string(1, last) + "oaei";
    for (char e : endings) {
      const std::string base = root + e;
      if (std::find(out.begin(), out.end(), base) != out.end()) continue;
      if (!hunspell_->spell(base)) continue;
      // A diminutive is of a noun or an adjective: a base Hunspell reads
      // only as a verb's form ("paga" of "pagare" for "pagella") is a word
      // that merely ends like one.
      if (!nominal_locked(base)) continue;
      out.push_back(base);
    }
  }
  return out;
}

std::shared_ptr<const std::vector<ThesaurusAlternative>> Thesaurus::alternatives(
    const std::string& folded_word, bool noun_reading) const {
  static const auto kNone = std::make_shared<const std::vector<ThesaurusAlternative>>();
  if (!thes_ || folded_word.empty()) return kNone;
  std::lock_guard<std::mutex> lock(mutex_);
  // The noun reading is cached apart ('\x01' is never in a word).
  const std::string key = noun_reading ? folded_word + '\x01' : folded_word;
  auto cached = cache_.find(key);
  if (cached != cache_.end()) return cached->second;
  auto out = std::make_shared<std::vector<ThesaurusAlternative>>();
  std::set<std::string> seen = {folded_word};
  // A word Hunspell reads only as a verb's form but that is also a noun's
  // plural it does not list ("scolare", schoolgirls): the thesaurus has the
  // verb only ("vuotare", to drain), which is not what a search means.
  // After an article, no word is a verb's form.
  const bool unlisted_noun = noun_reading || only_verb_but_a_plural_locked(folded_word);
  // An altered word the thesaurus lists as a word of its own ("borsetta",
  // a handbag) is not its base ("borsa", which in the library is a grant),
  // as altered_bases() has it: the roots of the word and of its lemmas.
  std::vector<std::string> roots = altered_roots(folded_word);
  // A headword of its own means its own entry: the senses of the other
  // lemmas Hunspell reads it as are another word's ("stufa", a stove, is
  // not "stufare", to bore; "sveglio", awake, not "svegliare", to wake).
  auto own = entries_.find(folded_word);
  std::vector<std::string> lemmas = own != entries_.end() ? own->second : lemmas_locked(folded_word);
  if (noun_reading) {
    // A plural's singulars that the thesaurus lists ("scarti" -> "scarto"),
    // which Hunspell may read as a verb's form only ("io scarto").
    for (const std::string& singular : plural_singulars(folded_word)) {
      auto it = entries_.find(singular);
      if (it == entries_.end()) continue;
      for (const std::string& e : it->second)
        if (std::find(lemmas.begin(), lemmas.end(), e) == lemmas.end()) lemmas.push_back(e);
    }
  }
  for (const std::string& lemma : lemmas)
    for (const std::string& root : altered_roots(text::fold_lower(lemma))) roots.push_back(root);
  auto own_base = [&](const std::string& folded_phrase) {
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
      return folded_phrase.size() == root.size() + 1 && folded_phrase.compare(0, root.size(), root) == 0;
    });
  };
  for (const std::string& lemma : lemmas) {
    seen.insert(text::fold_lower(lemma));
    mentry* meanings = nullptr;
    const int n = thes_->Lookup(lemma.c_str(), static_cast<int>(lemma.size()), &meanings);
    for (int m = 0; m < n; ++m) {
      const ThesaurusAlternative::Pos pos = pos_of(meanings[m].defn);
      if (pos == ThesaurusAlternative::Pos::kVerb && unlisted_noun) continue;
      for (int s = 0; s < meanings[m].count; ++s) {
        const std::string phrase = meanings[m].psyns[s] == nullptr ? "" : meanings[m].psyns[s];
        if (phrase.empty() || !seen.insert(text::fold_lower(phrase)).second) continue;
        if (own_base(text::fold_lower(phrase))) continue;
        out->push_back({phrase, pos});
      }
    }
    if (meanings != nullptr) thes_->CleanUpAfterLookup(&meanings, n);
  }
  // A word's cache stays small: the query words people type.
  if (cache_.size() > 100000) cache_.clear();
  cache_.emplace(key, out);
  return out;
}

}  // namespace bp::search
