#include "analyzer.h"

#include <cctype>

#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "bp/text.h"
#include "term_words.h"

namespace bp {
namespace {

// Stemming is the costliest step of term generation and Italian prose
// repeats its words a lot: a hash map in front of the Snowball stemmer
// pays for itself after a few documents.
class CachingStem : public Xapian::StemImplementation {
 public:
  explicit CachingStem(std::size_t max_entries)
      : inner_("italian"), max_entries_(max_entries) {}

  std::string operator()(const std::string& word) override {
    if (auto it = cache_.find(word); it != cache_.end()) return it->second;
    std::string stem = inner_(word);
    if (cache_.size() >= max_entries_) cache_.clear();
    cache_.emplace(word, stem);
    return stem;
  }

  std::string get_description() const override { return "CachingStem(italian)"; }

 private:
  Xapian::Stem inner_;
  std::size_t max_entries_;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

Xapian::Stem make_caching_italian_stemmer(std::size_t max_entries) {
  return Xapian::Stem(new CachingStem(max_entries));
}

namespace {

// text::italian_stopwords() as a Xapian::Stopper: one hash lookup per word
// where SimpleStopper walks a std::set (about nine string comparisons per
// word, 1.5 % of a build's instructions). Same words, same answers.
class ItalianStopper : public Xapian::Stopper {
 public:
  bool operator()(const std::string& term) const override {
    return words_.count(term) != 0;
  }
  std::string get_description() const override { return "ItalianStopper"; }

 private:
  const std::unordered_set<std::string>& words_ = text::italian_stopwords();
};

}  // namespace

const Xapian::Stopper& italian_stopper() {
  // Built once; Xapian only reads it afterwards. Never freed, on purpose:
  // TermGenerators and QueryParsers on any thread may hold it until exit.
  static const Xapian::Stopper* stopper = new ItalianStopper();
  return *stopper;
}

namespace {

// TermGenerator's default limit: longer words are dropped.
constexpr std::size_t kMaxWordBytes = 64;

// Words whose stems an Analyzer remembers (about 100 bytes each).
constexpr std::size_t kMaxCachedWords = 200000;

// TermGenerator's should_stem(): a word is stemmed only if it starts with
// a lower-case, title-case, modifier or other letter (not a digit, '_' or a
// mark).
bool starts_with_letter(const std::string& word) {
  const auto first = static_cast<unsigned char>(word[0]);
  if (first < 0x80) return first >= 'a' && first <= 'z';
  using Xapian::Unicode::get_category;
  switch (get_category(*Xapian::Utf8Iterator(word))) {
    case Xapian::Unicode::LOWERCASE_LETTER:
    case Xapian::Unicode::TITLECASE_LETTER:
    case Xapian::Unicode::MODIFIER_LETTER:
    case Xapian::Unicode::OTHER_LETTER:
      return true;
    default:
      return false;
  }
}

// The word starting at `text[start]` is capitalised: an upper-case letter,
// then a lower-case one.
bool is_capitalised(const std::string& text, std::size_t start) {
  using Xapian::Unicode::get_category;
  if (start >= text.size()) return false;
  const auto b = static_cast<unsigned char>(text[start]);
  if (b < 0x80 && (b < 'A' || b > 'Z')) return false;
  Xapian::Utf8Iterator it(text.data() + start, text.size() - start);
  const auto first = get_category(*it);
  if (first != Xapian::Unicode::UPPERCASE_LETTER && first != Xapian::Unicode::TITLECASE_LETTER) return false;
  return ++it != Xapian::Utf8Iterator() && get_category(*it) == Xapian::Unicode::LOWERCASE_LETTER;
}

bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80); }

// The next word after the one at `start` is capitalised, past the
// prepositions that join the words of a name ("Barriera di Milano").
bool next_capitalised(const std::string& text, std::size_t start) {
  std::size_t i = start;
  for (int hops = 0; hops < 2; ++hops) {
    while (i < text.size() && is_word_byte(text[i])) ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\'')) ++i;
    if (i >= text.size()) return false;
    if (is_capitalised(text, i)) return true;
    std::size_t e = i;
    while (e < text.size() && is_word_byte(text[e])) ++e;
    const std::string_view w(text.data() + i, e - i);
    if (!(w == "di" || w == "del" || w == "della" || w == "dei" || w == "degli" || w == "delle" || w == "de" ||
          w == "da" || w == "d" || w == "dello"))
      return false;
  }
  return false;
}

// Analyzer::Names: the word starting at `text[start]` is capitalised (an
// upper-case letter, then a lower-case one) and, unless `anywhere`, neither
// starts the text nor a sentence.
bool is_name_use_any(const std::string& text, std::size_t start, bool anywhere);

bool is_name_use(const std::string& text, std::size_t start, bool anywhere) {
  static const bool runs_only = std::getenv("BP_NAMERUN") != nullptr;
  if (!runs_only) return is_name_use_any(text, start, anywhere);
  if (!is_name_use_any(text, start, anywhere)) return false;
  if (next_capitalised(text, start)) return true;
  // The previous word: capitalised and itself inside a sentence.
  std::size_t i = start;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\'')) --i;
  for (int hops = 0; hops < 2 && i > 0; ++hops) {
    std::size_t b = i;
    while (b > 0 && is_word_byte(text[b - 1])) --b;
    if (b == i) return false;
    const std::string_view w(text.data() + b, i - b);
    if (is_capitalised(text, b)) return is_name_use_any(text, b, anywhere);
    if (!(w == "di" || w == "del" || w == "della" || w == "dei" || w == "degli" || w == "delle" || w == "de" ||
          w == "da" || w == "d" || w == "dello"))
      return false;
    i = b;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\'')) --i;
  }
  return false;
}

bool is_name_use_any(const std::string& text, std::size_t start, bool anywhere) {
  using Xapian::Unicode::get_category;
  const auto b = static_cast<unsigned char>(text[start]);
  if (b < 0x80 && (b < 'A' || b > 'Z')) return false;
  Xapian::Utf8Iterator it(text.data() + start, text.size() - start);
  const auto first = get_category(*it);
  if (first != Xapian::Unicode::UPPERCASE_LETTER && first != Xapian::Unicode::TITLECASE_LETTER) return false;
  if (++it == Xapian::Utf8Iterator() || get_category(*it) != Xapian::Unicode::LOWERCASE_LETTER) return false;
  if (anywhere) return true;
  // Back over spaces, quotes and brackets to what precedes the word.
  for (std::size_t i = start; i > 0; --i) {
    const char c = text[i - 1];
    switch (c) {
      case ' ': case '\t': case '"': case '\'': case '(': case '[': case '*': case '-': case '_':
        continue;
      case '.': case '!': case '?': case ':': case ';': case '\n': case '\r':
        return false;
      default:
        // A byte of a multi-byte character: typographic quotes and dashes
        // («, », “, ”, –, —) are skipped like their ASCII forms.
        if (static_cast<unsigned char>(c) >= 0x80) {
          std::size_t b = i - 1;
          while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
          const unsigned ch = *Xapian::Utf8Iterator(text.data() + b, i - b);
          if (ch == 0xab || ch == 0xbb || ch == 0x201c || ch == 0x201d || ch == 0x2013 || ch == 0x2014) {
            i = b + 1;
            continue;
          }
        }
        return true;
    }
  }
  return false;
}

}  // namespace

Analyzer::Analyzer() : stem_(make_caching_italian_stemmer()) {
  // Xapian reads the variable once per process: what TermGenerator does then
  // (CJK n-grams) is not what term_words.h does, so let it do the work.
  if (std::getenv("XAPIAN_CJK_NGRAM") != nullptr) {
    generator_ = std::make_unique<Xapian::TermGenerator>();
    generator_->set_stemmer(stem_);
    generator_->set_stopper(&italian_stopper());
    generator_->set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  }
}

void Analyzer::set_document(Xapian::Document& doc) {
  doc_ = &doc;
  pos_ = 0;
  // A document left without release_document() (its indexing threw).
  for (PrefixStems& f : fields_) {
    for (const std::uint32_t id : f.present) f.wdf_plus_one[id] = 0;
    f.present.clear();
  }
  if (word_stems_.size() >= kMaxCachedWords) {
    word_stems_.clear();
    stem_ids_.clear();
    stems_.clear();
    for (PrefixStems& f : fields_) f.wdf_plus_one.clear();
  }
  if (generator_) {
    generator_->set_document(doc);
    generator_->set_termpos(0);
  }
}

void Analyzer::index_text(std::string_view text, Xapian::termcount wdf_inc,
                          std::string_view prefix, Names names) {
  if (text.empty()) return;
  if (generator_) {
    generator_->index_text(text::fold(text), wdf_inc, std::string(prefix));
    return;
  }
  folded_ = text::fold(text);
  // Both looked up after both exist (stems_under() may grow fields_).
  const bool with_names = names != Names::kNone && prefix.empty();
  if (with_names) stems_under(kNamePrefix);
  PrefixStems* const text_field = &stems_under(prefix);
  PrefixStems* const name_field = with_names ? &stems_under(kNamePrefix) : nullptr;
  Xapian::Document& doc = *doc_;
  // What TermGenerator does for each word with STEM_SOME and STOP_STEMMED:
  // the word under the prefix at the next position, then, unless the word
  // is a stopword or does not start with a letter, "Z" + prefix + stem
  // without position, both by `wdf_inc`; the latter summed here and added
  // by add_stemmed_terms().
  term_words::for_each_word(folded_, word_, [&](const std::string& word, std::size_t start) {
    if (word.size() > kMaxWordBytes) return;
    const bool name_use = name_field != nullptr && is_name_use(folded_, start, names == Names::kAll);
    PrefixStems& field = *text_field;
    if (prefix.empty()) {
      doc.add_posting(word, ++pos_, wdf_inc);
    } else {
      term_.assign(field.prefix);
      term_ += word;
      doc.add_posting(term_, ++pos_, wdf_inc);
    }
    const std::uint32_t id = stem_id_of(word);
    if (id == kNoStem) return;
    add_stem_wdf(field, id, wdf_inc);
    if (name_use) add_stem_wdf(*name_field, id, wdf_inc);
  });
}

void Analyzer::add_stem_wdf(PrefixStems& field, std::uint32_t id, Xapian::termcount wdf_inc) {
  if (field.wdf_plus_one.size() <= id) field.wdf_plus_one.resize(stems_.size(), 0);
  Xapian::termcount& w = field.wdf_plus_one[id];
  if (w == 0) {
    field.present.push_back(id);
    w = 1;
  }
  w += wdf_inc;
}

void Analyzer::separate_fields() {
  if (generator_) generator_->increase_termpos(100);
  pos_ += 100;
}

void Analyzer::release_document() {
  if (generator_) {
    generator_->set_document(Xapian::Document());
  } else if (doc_ != nullptr) {
    add_stemmed_terms();
  }
  doc_ = nullptr;
}

Analyzer::PrefixStems& Analyzer::stems_under(std::string_view prefix) {
  for (PrefixStems& f : fields_)
    if (f.prefix == prefix) return f;
  fields_.push_back(PrefixStems{std::string(prefix), {}, {}});
  return fields_.back();
}

std::uint32_t Analyzer::stem_id_of(const std::string& word) {
  if (auto it = word_stems_.find(word); it != word_stems_.end()) return it->second;
  std::uint32_t id = kNoStem;
  if (!italian_stopper()(word) && starts_with_letter(word)) {
    std::string stem = stem_(word);
    if (!stem.empty()) {
      auto [at, added] = stem_ids_.try_emplace(stem, static_cast<std::uint32_t>(stems_.size()));
      if (added) stems_.push_back(std::move(stem));
      id = at->second;
    }
  }
  word_stems_.emplace(word, id);
  return id;
}

// Each stemmed term once, with the wdf of all its words' occurrences: the
// same wdf as one add_term() per occurrence.
void Analyzer::add_stemmed_terms() {
  Xapian::Document& doc = *doc_;
  // A stem used mostly inside names: a marker at wdf 0 (no length).
  PrefixStems* text = nullptr;
  PrefixStems* names = nullptr;
  for (PrefixStems& f : fields_) {
    if (f.prefix.empty()) text = &f;
    if (f.prefix == kNamePrefix) names = &f;
  }
  if (names != nullptr) {
    static const double share = std::getenv("BP_NAMESHARE") ? std::atof(std::getenv("BP_NAMESHARE")) : 1.0;
    for (const std::uint32_t id : names->present) {
      const double all = text != nullptr ? text->wdf_plus_one[id] - 1 : 0;
      const double in_names = names->wdf_plus_one[id] - 1;
      if (all > 0 && in_names >= share * all) {
        term_.assign("Z");
        term_ += kNamePrefix;
        term_ += stems_[id];
        doc.add_term(term_, 0);
      }
      names->wdf_plus_one[id] = 0;
    }
    names->present.clear();
  }
  for (PrefixStems& f : fields_) {
    for (const std::uint32_t id : f.present) {
      term_.assign("Z");
      term_ += f.prefix;
      term_ += stems_[id];
      doc.add_term(term_, f.wdf_plus_one[id] - 1);
      f.wdf_plus_one[id] = 0;
    }
    f.present.clear();
  }
}

Analyzer::WordTerms Analyzer::terms_for(std::string_view word) {
  WordTerms out;
  out.plain = text::fold_lower(word);
  if (out.plain.empty()) return out;
  const unsigned char first = static_cast<unsigned char>(out.plain[0]);
  if (first >= '0' && first <= '9') return out;
  if (text::italian_stopwords().count(out.plain) != 0) return out;
  out.stemmed = "Z" + stem_(out.plain);
  return out;
}

std::string Analyzer::stem_term(std::string_view word) { return terms_for(word).stemmed; }

}  // namespace bp
