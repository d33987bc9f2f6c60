#include "analyzer.h"

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
                          std::string_view prefix) {
  if (text.empty()) return;
  if (generator_) {
    generator_->index_text(text::fold(text), wdf_inc, std::string(prefix));
    return;
  }
  folded_ = text::fold(text);
  PrefixStems& field = stems_under(prefix);
  Xapian::Document& doc = *doc_;
  // What TermGenerator does for each word with STEM_SOME and STOP_STEMMED:
  // the word under the prefix at the next position, then, unless the word
  // is a stopword or does not start with a letter, "Z" + prefix + stem
  // without position, both by `wdf_inc`; the latter summed here and added
  // by add_stemmed_terms().
  term_words::for_each_word(folded_, word_, [&](const std::string& word) {
    if (word.size() > kMaxWordBytes) return;
    if (field.prefix.empty()) {
      doc.add_posting(word, ++pos_, wdf_inc);
    } else {
      term_.assign(field.prefix);
      term_ += word;
      doc.add_posting(term_, ++pos_, wdf_inc);
    }
    const std::uint32_t id = stem_id_of(word);
    if (id == kNoStem) return;
    if (field.wdf_plus_one.size() <= id) field.wdf_plus_one.resize(stems_.size(), 0);
    Xapian::termcount& w = field.wdf_plus_one[id];
    if (w == 0) {
      field.present.push_back(id);
      w = 1;
    }
    w += wdf_inc;
  });
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
