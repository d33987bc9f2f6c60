// bp-index-compare A B: are two indexes the same, document by document?
//
// Compares two Xapian databases (bp-index's folder: the one CURRENT names,
// or a glass database folder) through Xapian's API: document count and ids;
// for every document its terms with wdf and positions, its length, every
// value and its data; the spelling table (words and frequencies), the
// synonym table and the metadata. Value slots given with --skip-slot (for
// instance the build date, schema.h kSlotModified) and metadata keys given
// with --skip-meta are not compared. Prints the first differences (at most
// 20) and a summary; exits 0 when the two are the same, 1 when they differ,
// 2 on a usage or database error. Table file sizes are not compared here
// (ls -l the two folders).
#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_store.h"

namespace {

// An index folder (CURRENT names its live database) or a database folder.
std::string database_path(const std::string& arg) {
  if (const auto db = bp::index_store::current_database(arg)) return db->string();
  return arg;
}

struct Differences {
  std::size_t count = 0;
  void report(const std::string& what) {
    if (++count <= 20) std::cout << "differs: " << what << '\n';
  }
};

std::string positions_of(Xapian::TermIterator& t) {
  std::string out;
  for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
    out += std::to_string(*p);
    out += ',';
  }
  return out;
}

void compare_documents(const Xapian::Database& a, const Xapian::Database& b,
                       const std::set<Xapian::valueno>& skip_slots, Differences& diff,
                       std::size_t* terms_compared, std::size_t* positions_compared) {
  auto ia = a.postlist_begin("");
  auto ib = b.postlist_begin("");
  for (; ia != a.postlist_end("") && ib != b.postlist_end(""); ++ia, ++ib) {
    const Xapian::docid da = *ia, db = *ib;
    if (da != db) {
      diff.report("document ids " + std::to_string(da) + " / " + std::to_string(db));
      return;
    }
    const std::string at = "document " + std::to_string(da);
    const Xapian::Document x = a.get_document(da), y = b.get_document(db);
    if (a.get_doclength(da) != b.get_doclength(db)) diff.report(at + ": length");
    if (a.get_unique_terms(da) != b.get_unique_terms(db)) diff.report(at + ": unique terms");
    auto tx = x.termlist_begin(), ty = y.termlist_begin();
    for (; tx != x.termlist_end() && ty != y.termlist_end(); ++tx, ++ty) {
      ++*terms_compared;
      if (*tx != *ty) {
        diff.report(at + ": term " + *tx + " / " + *ty);
        break;
      }
      if (tx.get_wdf() != ty.get_wdf()) diff.report(at + ": wdf of " + *tx);
      const std::string px = positions_of(tx), py = positions_of(ty);
      *positions_compared += static_cast<std::size_t>(std::count(px.begin(), px.end(), ','));
      if (px != py) diff.report(at + ": positions of " + *tx + ": " + px + " / " + py);
    }
    if ((tx == x.termlist_end()) != (ty == y.termlist_end())) diff.report(at + ": number of terms");
    auto vx = x.values_begin(), vy = y.values_begin();
    std::vector<std::pair<Xapian::valueno, std::string>> xs, ys;
    for (; vx != x.values_end(); ++vx)
      if (!skip_slots.count(vx.get_valueno())) xs.emplace_back(vx.get_valueno(), *vx);
    for (; vy != y.values_end(); ++vy)
      if (!skip_slots.count(vy.get_valueno())) ys.emplace_back(vy.get_valueno(), *vy);
    if (xs != ys) {
      std::string which;
      for (std::size_t i = 0; i < std::max(xs.size(), ys.size()); ++i)
        if (i >= xs.size() || i >= ys.size() || xs[i] != ys[i])
          which += " slot " + std::to_string(i < xs.size() ? xs[i].first : ys[i].first);
      diff.report(at + ": values" + which);
    }
    if (x.get_data() != y.get_data()) diff.report(at + ": data");
  }
  if ((ia == a.postlist_end("")) != (ib == b.postlist_end(""))) diff.report("number of documents");
}

void compare_tables(const Xapian::Database& a, const Xapian::Database& b,
                    const std::vector<std::string>& skip_meta, Differences& diff) {
  {
    auto x = a.spellings_begin(), y = b.spellings_begin();
    for (; x != a.spellings_end() && y != b.spellings_end(); ++x, ++y)
      if (*x != *y || x.get_termfreq() != y.get_termfreq()) {
        diff.report("spelling " + *x + " / " + *y);
        break;
      }
    if ((x == a.spellings_end()) != (y == b.spellings_end())) diff.report("number of spellings");
  }
  {
    auto x = a.synonym_keys_begin(), y = b.synonym_keys_begin();
    for (; x != a.synonym_keys_end() && y != b.synonym_keys_end(); ++x, ++y) {
      if (*x != *y) {
        diff.report("synonym key " + *x + " / " + *y);
        break;
      }
      const std::vector<std::string> sx(a.synonyms_begin(*x), a.synonyms_end(*x));
      const std::vector<std::string> sy(b.synonyms_begin(*y), b.synonyms_end(*y));
      if (sx != sy) diff.report("synonyms of " + *x);
    }
    if ((x == a.synonym_keys_end()) != (y == b.synonym_keys_end())) diff.report("number of synonym keys");
  }
  {
    auto skipped = [&](const std::string& key) {
      for (const auto& s : skip_meta)
        if (key.rfind(s, 0) == 0) return true;
      return false;
    };
    std::vector<std::pair<std::string, std::string>> mx, my;
    for (auto k = a.metadata_keys_begin(); k != a.metadata_keys_end(); ++k)
      if (!skipped(*k)) mx.emplace_back(*k, a.get_metadata(*k));
    for (auto k = b.metadata_keys_begin(); k != b.metadata_keys_end(); ++k)
      if (!skipped(*k)) my.emplace_back(*k, b.get_metadata(*k));
    if (mx != my) {
      for (std::size_t i = 0; i < std::max(mx.size(), my.size()); ++i)
        if (i >= mx.size() || i >= my.size() || mx[i] != my[i]) {
          diff.report("metadata " + (i < mx.size() ? mx[i].first + " = " + mx[i].second.substr(0, 80) : "-") +
                      " / " + (i < my.size() ? my[i].first + " = " + my[i].second.substr(0, 80) : "-"));
          break;
        }
    }
  }
}

}  // namespace

int main(int argc, char** argv) try {
  std::vector<std::string> dbs;
  std::set<Xapian::valueno> skip_slots;
  std::vector<std::string> skip_meta;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--skip-slot" && i + 1 < argc) {
      skip_slots.insert(static_cast<Xapian::valueno>(std::stoul(argv[++i])));
    } else if (arg == "--skip-meta" && i + 1 < argc) {
      skip_meta.push_back(argv[++i]);
    } else {
      dbs.push_back(arg);
    }
  }
  if (dbs.size() != 2) {
    std::cerr << "usage: bp-index-compare A B [--skip-slot N]... [--skip-meta KEY_PREFIX]...\n";
    return 2;
  }
  const Xapian::Database a(database_path(dbs[0])), b(database_path(dbs[1]));
  Differences diff;
  if (a.get_doccount() != b.get_doccount()) diff.report("document count");
  if (a.get_total_length() != b.get_total_length()) diff.report("total length");
  std::size_t terms = 0, positions = 0;
  compare_documents(a, b, skip_slots, diff, &terms, &positions);
  compare_tables(a, b, skip_meta, diff);
  std::cout << a.get_doccount() << " documents, " << terms << " terms, " << positions
            << " positions compared: " << (diff.count == 0 ? "same" : std::to_string(diff.count) + " differences")
            << '\n';
  return diff.count == 0 ? 0 : 1;
} catch (const Xapian::Error& e) {
  std::cerr << "bp-index-compare: " << e.get_description() << '\n';
  return 2;
} catch (const std::exception& e) {
  std::cerr << "bp-index-compare: " << e.what() << '\n';
  return 2;
}
