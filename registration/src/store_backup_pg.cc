// bp-admin backup / restore on PostgreSQL, with the tools operators already
// know: pg_dump and pg_restore in the custom format (Debian's
// postgresql-client). The store is the URL's current schema, so a backup
// holds exactly the store's tables, and a restore replaces exactly them.
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <system_error>
#include <vector>

#include "store_backup_impl.h"

extern char** environ;

namespace bp::registration::backup {

namespace {

// A private temporary file that has no name: created (mode 0600) and
// unlinked at once, reached as /proc/self/fd/N by this process and by the
// tools it starts (they inherit the descriptor). The plain-text copy of
// every table that pg_restore writes into one can never be left behind in
// the shared /tmp, not even when bp-admin is killed half-way.
class TempFile {
 public:
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bp-admin-XXXXXX").string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ >= 0) {
      ::unlink(pattern.c_str());
      path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  // "" when it could not be made.
  const std::filesystem::path& path() const { return path_; }

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

// How pg_dump and pg_restore reach the database: `dbname`, the URL's
// settings as a key=value string without the password, for --dbname; the
// password, if the URL has one, for PGPASSWORD. Every local user sees a
// process's arguments (ps), not its environment.
struct ToolConnection {
  std::string dbname;
  std::string password;
};

Result<ToolConnection> tool_connection(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string said = error ? error : "";
    if (error) PQfreemem(error);
    while (!said.empty() && said.back() == '\n') said.pop_back();
    return Status::invalid("indirizzo del database non valido" + (said.empty() ? "" : ": " + said));
  }
  ToolConnection c;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string key = o->keyword, value = o->val;
    if (key == "password") {
      c.password = value;
      continue;
    }
    std::string quoted;
    for (const char ch : value) {
      if (ch == '\\' || ch == '\'') quoted += '\\';
      quoted += ch;
    }
    c.dbname += (c.dbname.empty() ? "" : " ") + key + "='" + quoted + "'";
  }
  PQconninfoFree(options);
  return c;
}

// Runs `args[0]` (looked up on PATH) with stdin from /dev/null and stderr
// kept, and PGPASSWORD set to `password` when it is not empty; Io with the
// tool's own last words when it cannot start or fails.
Status run_tool(const std::vector<std::string>& args, const std::string& password = "") {
  TempFile err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!err.path().empty()) posix_spawn_file_actions_addopen(&actions, 2, err.path().c_str(), O_WRONLY, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "PGPASSWORD=", 11) != 0 || password.empty()) env_s.emplace_back(*e);
  if (!password.empty()) env_s.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT)
    return Status::io(args[0] + " non trovato: installare il pacchetto Debian postgresql-client");
  if (rc != 0) return Status::io("avvio di " + args[0] + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::ok();
  std::ifstream in(err.path());
  std::stringstream said;
  said << in.rdbuf();
  std::string words = said.str();
  while (!words.empty() && (words.back() == '\n' || words.back() == ' ')) words.pop_back();
  return Status::io(args[0] + " non riuscito" + (words.empty() ? "" : ": " + words));
}

// The store's schema (the URL's search_path) and what it holds.
struct Target {
  std::string schema;
  StoreSnapshot snap;
};

Target read_target(pqxx::transaction_base& tx) {
  Target t;
  const auto schema = tx.exec("SELECT current_schema()")[0][0];
  if (schema.is_null()) return t;
  t.schema = schema.c_str();
  const auto names = tx.exec(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'"
      " ORDER BY tablename");
  for (const auto& row : names) {
    const std::string name = row[0].c_str();
    t.snap.tables.emplace_back(name, tx.exec("SELECT COUNT(*) FROM " + tx.quote_name(name))[0][0].as<std::int64_t>());
  }
  if (!tx.exec("SELECT to_regclass('schema_migrations')")[0][0].is_null())
    t.snap.schema_version =
        tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0].as<std::int64_t>();
  return t;
}

// What a dump holds, read back from it: pg_restore writes its data as COPY
// blocks (one line per row, newlines inside values escaped), so counting
// lines counts rows; schema_migrations' first column is the version.
Result<Target> read_dump(const std::filesystem::path& dump) {
  TempFile script;
  if (script.path().empty()) return Status::io("impossibile creare un file temporaneo");
  if (auto s = run_tool({"pg_restore", "--data-only", "--file=" + script.path().string(), dump.string()});
      !s.is_ok())
    return s;
  std::ifstream in(script.path());
  Target t;
  std::string line, table;
  std::int64_t rows = 0;
  bool in_copy = false;
  while (std::getline(in, line)) {
    if (!in_copy && line.rfind("COPY ", 0) == 0) {
      const auto end = line.find_first_of(" (", 5);
      const std::string qualified = line.substr(5, end - 5);
      const auto dot = qualified.find('.');
      t.schema = qualified.substr(0, dot);
      table = qualified.substr(dot + 1);
      rows = 0;
      in_copy = true;
    } else if (in_copy && line == "\\.") {
      if (table != "schema_migrations") t.snap.tables.emplace_back(table, rows);
      in_copy = false;
    } else if (in_copy) {
      ++rows;
      if (table == "schema_migrations")
        t.snap.schema_version = std::max<std::int64_t>(t.snap.schema_version, std::atoll(line.c_str()));
    }
  }
  std::sort(t.snap.tables.begin(), t.snap.tables.end());
  return t;
}

std::string connect_error(const std::exception& e) {
  return std::string("PostgreSQL non raggiungibile o errore del database: ") + e.what();
}

}  // namespace

Result<StoreSnapshot> pg_backup(const std::string& url, const std::filesystem::path& to) {
  if (auto s = create_private_file(to); !s.is_ok()) return s;
  auto result = [&]() -> Result<StoreSnapshot> {
    try {
      pqxx::connection c(url);
      pqxx::nontransaction tx(c);
      // pg_dump reads the snapshot this transaction exports, so what is
      // counted here is exactly what it writes.
      tx.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const std::string id = tx.exec("SELECT pg_export_snapshot()")[0][0].c_str();
      const Target live = read_target(tx);
      if (live.schema.empty() || live.snap.schema_version == 0)
        return Status::invalid("il database non contiene un archivio delle iscrizioni (nessuna tabella "
                               "schema_migrations nello schema corrente)");
      auto tool = tool_connection(url);
      if (!tool.ok()) return tool.status();
      if (auto s = run_tool({"pg_dump", "--format=custom", "--snapshot=" + id, "--schema=" + live.schema,
                             "--file=" + to.string(), "--dbname=" + tool->dbname},
                            tool->password);
          !s.is_ok())
        return s;
      tx.exec("COMMIT");
      auto dumped = read_dump(to);
      if (!dumped.ok()) return dumped.status();
      if (auto s = compare(live.snap, dumped->snap, "copia non verificata"); !s.is_ok()) return s;
      return dumped->snap;
    } catch (const std::exception& e) {
      return Status::io(connect_error(e));
    }
  }();
  if (!result.ok()) {
    std::error_code ec;
    std::filesystem::remove(to, ec);
  }
  return result;
}

Result<StoreSnapshot> pg_restore(const std::filesystem::path& from, const std::string& url,
                                 const RestoreOptions& options) {
  if (auto s = expect_kind(from, FileKind::kPgDump); !s.is_ok()) return s;
  auto dump = read_dump(from);
  if (!dump.ok()) return dump.status();
  try {
    {
      pqxx::connection c(url);
      pqxx::work tx(c);
      const Target target = read_target(tx);
      if (target.schema.empty())
        return Status::invalid("lo schema indicato dall'indirizzo (search_path) non esiste nel database");
      if (target.schema != dump->schema)
        return Status::invalid("la copia è dello schema «" + dump->schema + "», il database di destinazione usa «" +
                               target.schema + "»: ripristinare nello stesso schema");
      if (auto s = check_restore(dump->snap, target.snap, options); !s.is_ok()) return s;
    }
    // Every entry but the schema itself, which exists already (public, or
    // the one the URL names): pg_restore drops and recreates the rest.
    TempFile all, list;
    if (all.path().empty() || list.path().empty()) return Status::io("impossibile creare un file temporaneo");
    if (auto s = run_tool({"pg_restore", "--list", "--file=" + all.path().string(), from.string()}); !s.is_ok())
      return s;
    {
      std::ifstream in(all.path());
      std::ofstream out(list.path());
      std::string line;
      while (std::getline(in, line)) {
        const bool schema_entry = line.find(" SCHEMA - ") != std::string::npos ||
                                  line.find(" - SCHEMA ") != std::string::npos;
        if (!schema_entry) out << line << "\n";
      }
    }
    auto tool = tool_connection(url);
    if (!tool.ok()) return tool.status();
    if (auto s = run_tool(
            {"pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             "--exit-on-error", "--use-list=" + list.path().string(), "--dbname=" + tool->dbname, from.string()},
            tool->password);
        !s.is_ok())
      return Status::io("ripristino non riuscito, il database è rimasto com'era (" + s.message() + ")");
    pqxx::connection c(url);
    pqxx::work tx(c);
    const Target restored = read_target(tx);
    if (auto s = compare(dump->snap, restored.snap, "ripristino non verificato"); !s.is_ok()) return s;
    return restored.snap;
  } catch (const std::exception& e) {
    return Status::io(connect_error(e));
  }
}

}  // namespace bp::registration::backup
