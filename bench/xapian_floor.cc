#include "xapian_floor.h"

#include <fstream>
#include <optional>
#include <string_view>

#include "schema.h"
#include "bp/text.h"

namespace bp::bench {
namespace {

// ValueCountMatchSpy for slots holding several values joined by
// schema::kFacetSeparator (Xapian 1.4's spy counts a slot as one string).
class MultiValueSpy : public Xapian::MatchSpy {
 public:
  explicit MultiValueSpy(std::vector<Xapian::valueno> slots) : slots_(std::move(slots)), counts_(slots_.size()) {}
  void operator()(const Xapian::Document& doc, double) override {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const std::string v = doc.get_value(slots_[i]);
      std::string_view rest(v);
      while (!rest.empty()) {
        const auto sep = rest.find(schema::kFacetSeparator);
        ++counts_[i][std::string(rest.substr(0, sep))];
        if (sep == std::string_view::npos) break;
        rest.remove_prefix(sep + 1);
      }
    }
  }
  std::map<std::string, std::uint64_t>& counts(std::size_t i) { return counts_[i]; }

 private:
  std::vector<Xapian::valueno> slots_;
  std::vector<std::map<std::string, std::uint64_t>> counts_;
};

Xapian::Database open_index(const std::filesystem::path& dir) {
  std::ifstream current(dir / std::string(schema::kCurrentFile));
  std::string name;
  if (current && std::getline(current, name) && !name.empty()) return Xapian::Database((dir / name).string());
  return Xapian::Database(dir.string());
}

}  // namespace

XapianFloor::XapianFloor(const std::filesystem::path& index_dir)
    : db_(open_index(index_dir)), stem_("italian") {
  for (const auto& w : text::italian_stopwords()) stopper_.add(w);
  parser_.set_database(db_);
  parser_.set_stemmer(stem_);
  parser_.set_stopper(&stopper_);
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser_.set_default_op(Xapian::Query::OP_AND);
  parser_.set_max_expansion(40, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                            Xapian::QueryParser::FLAG_PARTIAL);
}

XapianFloor::Answer XapianFloor::search(const BenchQuery& q) {
  const Xapian::doccount doccount = db_.get_doccount();
  const Xapian::Query text =
      parser_.parse_query(text::fold_lower(q.q), Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PARTIAL);

  struct Active {
    const schema::FacetField* facet;
    Xapian::Query query;
  };
  std::vector<Active> active;
  for (const auto& facet : schema::kFacets) {
    auto it = q.filters.find(std::string(facet.name));
    if (it == q.filters.end()) continue;
    std::vector<Xapian::Query> terms;
    for (const auto& v : it->second) terms.emplace_back(std::string(facet.prefix) + v);
    active.push_back({&facet, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())});
  }
  auto filtered = [&](const schema::FacetField* skip) {
    std::vector<Xapian::Query> parts;
    for (const auto& a : active)
      if (a.facet != skip) parts.push_back(a.query);
    if (parts.empty()) return text;
    return Xapian::Query(Xapian::Query::OP_FILTER, text,
                         Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
  };

  Answer answer;
  std::vector<Xapian::valueno> slots;
  std::vector<std::string_view> names;
  for (const auto& facet : schema::kFacets) {
    bool is_active = false;
    for (const auto& a : active) is_active |= a.facet == &facet;
    if (is_active) continue;
    slots.push_back(facet.slot);
    names.push_back(facet.name);
  }
  Xapian::Enquire enquire(db_);
  enquire.set_query(filtered(nullptr));
  MultiValueSpy spy(slots);
  enquire.add_matchspy(&spy);
  const Xapian::MSet mset = enquire.get_mset(0, 10, doccount);
  answer.total = mset.get_matches_estimated();
  for (std::size_t i = 0; i < names.size(); ++i) answer.facets[std::string(names[i])] = std::move(spy.counts(i));
  for (const auto& a : active) {
    Xapian::Enquire other(db_);
    other.set_query(filtered(a.facet));
    other.set_weighting_scheme(Xapian::BoolWeight());
    MultiValueSpy one({a.facet->slot});
    other.add_matchspy(&one);
    other.get_mset(0, 0, doccount);
    answer.facets[std::string(a.facet->name)] = std::move(one.counts(0));
  }
  // What a result list reads of each hit: its result record, as stored
  // (schema 9 keeps it in a value slot, not in the document data; the
  // floor does not decode it).
  for (auto it = mset.begin(); it != mset.end(); ++it)
    answer.data_bytes += it.get_document().get_value(schema::kSlotResult).size();
  return answer;
}

}  // namespace bp::bench
