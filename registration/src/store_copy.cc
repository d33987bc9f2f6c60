// copy_sqlite_to_postgresql(): rows are copied with their own ids, so the
// identity sequences are moved past the largest id afterwards.
#include "bp/registration/store_copy.h"

#include <sqlite3.h>

#include <pqxx/pqxx>

#include "bp/registration/store.h"
#include "sqlite_util.h"
#include "store_backup_impl.h"

namespace bp::registration {

namespace {

// In foreign-key order; `identity` names the column a sequence feeds.
struct Table {
  const char* name;
  const char* identity;  // nullptr: none
};
constexpr Table kTables[] = {{"editions", nullptr},
                             {"registrations", "id"},
                             {"idempotency", nullptr},
                             {"outbox", "id"},
                             {"accounts", "id"},
                             {"staff_sessions", nullptr},
                             {"api_tokens", "id"},
                             {"audit_log", "id"},
                             {"meeting_attendance", nullptr},
                             {"tutoring_cases", nullptr},
                             {"proposals", "id"},
                             {"proposal_events", "id"},
                             {"search_queries", nullptr},
                             {"search_positions", nullptr},
                             {"search_filters", nullptr},
                             {"edition_messages", "id"},
                             {"staff_notes", "id"}};

// One SQLite value as a PostgreSQL literal (BLOBs as bytea).
std::string literal(pqxx::work& tx, sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(s, col));
    case SQLITE_BLOB: {
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, col));
      return tx.quote_raw(p, static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    }
    default: {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return tx.quote(std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(s, col))));
    }
  }
}

std::int64_t pg_count(pqxx::work& tx, const std::string& table) {
  return tx.exec("SELECT COUNT(*) FROM " + table)[0][0].as<std::int64_t>();
}

}  // namespace

Result<TableCounts> copy_sqlite_to_postgresql(const std::filesystem::path& sqlite_dir, const std::string& url) {
  const auto file = sqlite_dir / "registrations.sqlite3";
  if (!std::filesystem::exists(file))
    return Status::invalid("non trovo l'archivio SQLite " + file.string());
  // As for a restore: no server may write the folder meanwhile (what it
  // wrote after its row was read would be lost), nor start on it.
  auto lock = backup::RestoreLock::take(sqlite_dir);
  if (!lock.ok()) return lock.status();
  // Opening each store applies its missing migrations: same schema version.
  if (auto s = open_sqlite_store(sqlite_dir, nullptr); !s.ok()) return s.status();
  if (auto p = open_postgresql_store(url, nullptr); !p.ok()) return p.status();

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::io("impossibile aprire " + file.string());
  }
  struct Close {
    sqlite3* db;
    ~Close() { sqlite3_close(db); }
  } close{db};
  try {
    sql::exec(db, "BEGIN");  // one snapshot of the source
    pqxx::connection c(url);
    pqxx::work tx(c);
    for (const char* t : {"registrations", "idempotency", "outbox", "proposals"})
      if (pg_count(tx, t) > 0)
        return Status::invalid(std::string("il database PostgreSQL contiene già dati (tabella ") + t +
                               "): la copia si fa solo in un archivio senza iscrizioni");
    TableCounts counts;
    for (const Table& table : kTables) {
      sql::Stmt s(db, (std::string("SELECT * FROM ") + table.name).c_str());
      std::string columns;
      const int n = sqlite3_column_count(s.raw());
      for (int i = 0; i < n; ++i) columns += std::string(i ? ", " : "") + sqlite3_column_name(s.raw(), i);
      const std::string head = std::string("INSERT INTO ") + table.name + " (" + columns + ") VALUES ";
      std::int64_t rows = 0;
      while (s.step()) {
        std::string values;
        for (int i = 0; i < n; ++i) values += (i ? ", " : "") + literal(tx, s.raw(), i);
        std::string insert = head + "(" + values + ")";
        // A server started on the target already added the editions: the
        // source's seats and the staff's pause win.
        if (std::string(table.name) == "editions")
          insert +=
              " ON CONFLICT (id) DO UPDATE SET capacity = excluded.capacity, taken = excluded.taken,"
              " paused_at = excluded.paused_at, paused_by = excluded.paused_by";
        tx.exec(insert);
        ++rows;
      }
      if (table.identity)
        tx.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table.name + "', '" + table.identity +
                "'), COALESCE((SELECT MAX(" + table.identity + ") FROM " + table.name + "), 0) + 1, false)");
      sql::Stmt count(db, (std::string("SELECT COUNT(*) FROM ") + table.name).c_str());
      count.step();
      const std::int64_t target = pg_count(tx, table.name);
      // Editions may have been in the target before: at least the source's.
      const bool ok = std::string(table.name) == "editions" ? target >= count.integer(0) : target == count.integer(0);
      if (!ok || rows != count.integer(0))
        return Status::io(std::string("copia non verificata per la tabella ") + table.name + ": " +
                          std::to_string(count.integer(0)) + " righe in SQLite, " + std::to_string(target) +
                          " in PostgreSQL");
      counts.emplace_back(table.name, rows);
    }
    tx.commit();
    return counts;
  } catch (const sql::Error& e) {
    return Status::io(std::string("lettura dell'archivio SQLite: ") + e.what());
  } catch (const std::exception& e) {
    return Status::io(std::string("scrittura in PostgreSQL: ") + e.what());
  }
}

}  // namespace bp::registration
