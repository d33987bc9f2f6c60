// The fixed query mix of the benchmarks (bp-gen-corpus): 300 queries made
// from the starter library's sentences and the taxonomy's labels, plain,
// without accents, with a typo or cut to a prefix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "corpus.h"

namespace bp::bench {

struct Query {
  std::string kind;     // plain, unaccented, typo, prefix
  std::string q;        // as typed
  std::string filters;  // "hub=nord&theme=..." on every third query, else ""
};

// The 300 queries of `seed`.
std::vector<Query> make_queries(std::uint64_t seed, const CorpusVocabulary& v, const SentenceBank& bank);

// One query per line: kind TAB q TAB filters (empty without `with_filters`).
void write_queries(const std::filesystem::path& file, const std::vector<Query>& queries, bool with_filters);

}  // namespace bp::bench
