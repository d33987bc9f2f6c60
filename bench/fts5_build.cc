// bp-fts5-build: builds the SQLite FTS5 baseline of a library and reports
// its build time ("name value" lines, see harness.h).
//   bp-fts5-build --content DIR --db FILE
#include <cstdio>
#include <iostream>
#include <string>

#include "fts5_baseline.h"

int main(int argc, char** argv) try {
  std::string content = "library-content", db;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    if (f == "--content") content = argv[i + 1];
    else if (f == "--db") db = argv[i + 1];
    else throw std::runtime_error("unknown option " + f);
  }
  if (db.empty()) throw std::runtime_error("usage: bp-fts5-build --content DIR --db FILE");
  const auto r = bp::bench::build_fts5(content, db);
  std::printf("fts5.build.docs %zu\nfts5.build.seconds %.3f\nfts5.build.docs_per_s %.1f\nfts5.build.mb_per_s %.3f\n",
              r.documents, r.seconds, static_cast<double>(r.documents) / r.seconds,
              static_cast<double>(r.markdown_bytes) / 1e6 / r.seconds);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bp-fts5-build: " << e.what() << "\n";
  return 1;
}
