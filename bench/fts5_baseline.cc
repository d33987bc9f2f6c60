#include "fts5_baseline.h"

#include <sqlite3.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "bp/file_bytes.h"
#include "schema.h"

namespace bp::bench {
namespace {

namespace fs = std::filesystem;

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + m + " in: " + sql);
  }
}

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return stmt_; }
  void text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
    return false;
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

std::vector<std::string> list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const auto& v : n) out.push_back(scalar(v));
  return out;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// FTS5 MATCH expression: every word as a string, AND-ed; the last word as a
// prefix (the user is still typing it). Apostrophes separate words, as in
// unicode61.
std::string match_expression(const std::string& q) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : q) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80) {
      cur += c;
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(cur);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out += (i ? " \"" : "\"") + words[i] + "\"";
    if (i + 1 == words.size()) out += "*";
  }
  return out;
}

}  // namespace

Fts5BuildReport build_fts5(const fs::path& content_root, const fs::path& db_file) {
  const auto start = std::chrono::steady_clock::now();
  fs::remove(db_file);
  fs::remove(db_file.string() + "-wal");
  fs::remove(db_file.string() + "-shm");
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + db_file.string());
  Fts5BuildReport report;
  try {
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec(db,
         "CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, summary, body, extra,"
         " tokenize='unicode61 remove_diacritics 2');"
         "CREATE TABLE facet(doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,"
         " PRIMARY KEY(doc, facet, value)) WITHOUT ROWID;");
    exec(db, "BEGIN");
    Statement add_doc(db, "INSERT INTO docs(rowid, slug, title, summary, body, extra) VALUES(?,?,?,?,?,?)");
    Statement add_facet(db, "INSERT OR IGNORE INTO facet(doc, facet, value) VALUES(?,?,?)");
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(content_root / "practices"))
      if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::int64_t rowid = 0;
    for (const auto& f : files) {
      Result<std::string> read = read_file(f);
      if (!read.ok()) continue;
      const std::string& bytes = *read;
      report.markdown_bytes += bytes.size();
      if (bytes.rfind("---\n", 0) != 0) continue;
      const std::size_t end = bytes.find("\n---\n", 3);
      if (end == std::string::npos) continue;
      const YAML::Node fm = YAML::Load(bytes.substr(4, end - 3));
      ++rowid;
      add_doc.integer(1, rowid);
      add_doc.text(2, f.stem().string());
      add_doc.text(3, scalar(fm["title"]));
      add_doc.text(4, scalar(fm["summary"]));
      add_doc.text(5, bytes.substr(end + 5));
      std::string extra = scalar(fm["city"]) + " " + scalar(fm["organisation"]);
      for (const auto& t : list(fm["tags"])) extra += " " + t;
      add_doc.text(6, extra);
      add_doc.step();
      add_doc.reset();
      auto facet = [&](const char* name, const std::vector<std::string>& values) {
        for (const auto& v : values) {
          if (v.empty()) continue;
          add_facet.integer(1, rowid);
          add_facet.text(2, name);
          add_facet.text(3, v);
          add_facet.step();
          add_facet.reset();
        }
      };
      facet("hub", {scalar(fm["hub"])});
      facet("region", {scalar(fm["region"])});
      facet("theme", list(fm["themes"]));
      facet("dimension", list(fm["dimensions"]));
      facet("sdg", list(fm["sdgs"]));
      facet("audience", list(fm["audience"]));
      facet("module", list(fm["modules"]));
      facet("year", {scalar(fm["year"])});
      ++report.documents;
    }
    exec(db, "CREATE INDEX facet_value ON facet(facet, value, doc)");
    exec(db, "INSERT INTO docs(docs) VALUES('optimize')");
    exec(db, "COMMIT");
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
  sqlite3_close(db);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Fts5Baseline::Fts5Baseline(const fs::path& db_file) {
  if (sqlite3_open_v2(db_file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + db_file.string());
}

Fts5Baseline::~Fts5Baseline() { sqlite3_close(db_); }

Fts5Baseline::Answer Fts5Baseline::search(const BenchQuery& q) {
  // "docs MATCH ?1" plus one IN (...) clause per active facet but `skip`.
  auto where = [&](const std::string& skip) {
    std::string w = "docs MATCH ?1";
    for (const auto& [facet, values] : q.filters) {
      if (facet == skip) continue;
      // "+rowid": a plain rowid IN (...) is pushed into FTS5, which then
      // re-runs the match once per listed rowid (100x slower at 1k).
      w += " AND +docs.rowid IN (SELECT doc FROM facet WHERE facet=" + quote(facet) + " AND value IN (";
      for (std::size_t i = 0; i < values.size(); ++i) w += (i ? "," : "") + quote(values[i]);
      w += "))";
    }
    return w;
  };
  const std::string match = match_expression(q.q);
  Answer answer;
  if (match.empty()) return answer;

  {
    Statement s(db_, "SELECT count(*) FROM docs WHERE " + where(""));
    s.text(1, match);
    if (s.step()) answer.total = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
  }
  {
    Statement s(db_,
                "SELECT slug, title, summary, snippet(docs, 3, '<mark>', '</mark>', '…', 24) FROM docs WHERE " +
                    where("") + " ORDER BY bm25(docs, 0.0, 6.0, 3.0, 1.0, 2.0) LIMIT 10");
    s.text(1, match);
    while (s.step())
      for (int c = 0; c < 4; ++c) answer.snippet_bytes += static_cast<std::size_t>(sqlite3_column_bytes(s.get(), c));
  }
  auto count = [&](const std::string& facets_sql, const std::string& skip) {
    // Without MATERIALIZED and CROSS JOIN, SQLite's planner puts the facet
    // table outside and re-runs the full-text match for every facet row.
    Statement s(db_, "WITH m AS MATERIALIZED (SELECT rowid AS doc FROM docs WHERE " + where(skip) +
                         ") SELECT f.facet, f.value, count(*) FROM m CROSS JOIN facet f ON f.doc = m.doc"
                         " WHERE f.facet IN (" + facets_sql + ") GROUP BY f.facet, f.value");
    s.text(1, match);
    while (s.step())
      answer.facets[reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0))]
                   [reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1))] =
          static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 2));
  };
  std::string inactive;
  for (const auto& facet : schema::kFacets) {
    const std::string name(facet.name);
    if (q.filters.count(name)) continue;
    inactive += (inactive.empty() ? "" : ",") + quote(name);
  }
  if (!inactive.empty()) count(inactive, "");
  for (const auto& [facet, values] : q.filters) count(quote(facet), facet);
  return answer;
}

}  // namespace bp::bench
