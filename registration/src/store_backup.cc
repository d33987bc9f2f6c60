// backup_store() / restore_store(): choose the engine, and the checks both
// engines share (store_backup_impl.h).
#include "bp/registration/store_backup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "bp/text.h"
#include "schema_migrations.h"
#include "sqlite_util.h"
#include "store_backup_impl.h"

namespace bp::registration {

std::int64_t StoreSnapshot::rows(const std::string& table) const {
  for (const auto& [name, n] : tables)
    if (name == table) return n;
  return 0;
}

namespace {

bool is_postgresql(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

Status check_address(const StoreAddress& a) {
  if (!a.database_url.empty() && !is_postgresql(a.database_url))
    return Status::invalid("indirizzo del database non riconosciuto: deve iniziare con postgresql://");
  return Status::ok();
}

}  // namespace

namespace {

// Gives the file `from` the name `to` unless a file has that name: 0, or
// the errno (EEXIST when one has). renameat2's RENAME_NOREPLACE where the
// file system has it (ext4, xfs, btrfs, tmpfs, vfat, CIFS), else a hard
// link, else (a mount with neither, some FUSE ones) a rename after a
// check, which only a file created in between could defeat.
int name_without_replacing(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  if (::link(from.c_str(), to.c_str()) == 0) return ::unlink(from.c_str()), 0;
  if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS) return errno;
  std::error_code ec;
  if (std::filesystem::symlink_status(to, ec).type() != std::filesystem::file_type::not_found) return EEXIST;
  return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

}  // namespace

Result<StoreSnapshot> backup_store(const StoreAddress& from, const std::filesystem::path& to) {
  if (auto s = check_address(from); !s.is_ok()) return s;
  std::error_code ec;
  if (std::filesystem::symlink_status(to, ec).type() != std::filesystem::file_type::not_found)
    return Status::invalid("il file " + to.string() +
                           " esiste già: scegliere un altro nome (una copia non ne sovrascrive un'altra)");
  // Written under another name and given its own only once verified: a
  // backup killed half-way (a full disk, the OOM killer, Ctrl-C) never
  // leaves a truncated file that looks like a good copy.
  const std::filesystem::path partial = to.string() + ".incompleto";
  if (std::filesystem::symlink_status(partial, ec).type() != std::filesystem::file_type::not_found)
    return Status::invalid("c'è già " + partial.string() +
                           ", lasciato da una copia interrotta o ancora in corso: se nessuna copia è in corso, "
                           "cancellarlo (contiene dati personali) e riprovare");
  Result<StoreSnapshot> made = from.database_url.empty() ? backup::sqlite_backup(from.data_dir, partial)
                                                         : backup::pg_backup(from.database_url, partial);
  if (!made.ok()) return made;
  // Never over an existing name, as creating `to` would have refused.
  const int named = name_without_replacing(partial, to);
  if (named != 0) {
    std::filesystem::remove(partial, ec);
    if (named == EEXIST)
      return Status::invalid("il file " + to.string() + " è comparso durante la copia: la copia non lo sovrascrive");
    return Status::io("impossibile dare alla copia il nome " + to.string() + ": " + std::strerror(named));
  }
  return made;
}

Result<StoreSnapshot> restore_store(const std::filesystem::path& from, const StoreAddress& to,
                                    const RestoreOptions& options) {
  if (auto s = check_address(to); !s.is_ok()) return s;
  return to.database_url.empty() ? backup::sqlite_restore(from, to.data_dir, options)
                                 : backup::pg_restore(from, to.database_url, options);
}

namespace {

constexpr const char* kLockFile = "registrations.lock";

// Takes `operation` (LOCK_SH or LOCK_EX, never waiting) on the data
// folder's lock file, created 0600 when missing: its descriptor, which
// holds the lock until closed. Invalid with `busy` when the other kind is
// held; Io when the file cannot be opened or locked.
Result<int> lock_folder(const std::filesystem::path& data_dir, int operation, const std::string& busy) {
  const std::string path = (data_dir / kLockFile).string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::io("impossibile creare " + path + ": " + std::strerror(errno));
  int rc;
  do rc = ::flock(fd, operation | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  if (rc == 0) return fd;
  const int err = errno;
  ::close(fd);
  if (err == EWOULDBLOCK) return Status::invalid(busy);
  return Status::io("impossibile bloccare " + path + ": " + std::strerror(err));
}

}  // namespace

ServerClaim::ServerClaim(ServerClaim&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

ServerClaim& ServerClaim::operator=(ServerClaim&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ServerClaim::~ServerClaim() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

Result<ServerClaim> claim_store_for_server(const StoreAddress& address) {
  ServerClaim claim;
  if (!address.database_url.empty()) return claim;
  // Before the store is opened (a restore must not meet a server opening
  // it), so the folder may not exist yet: made as the store makes it.
  if (auto s = sql::prepare_private_dir(address.data_dir); !s.is_ok()) return s;
  auto fd = lock_folder(address.data_dir, LOCK_SH,
                        "è in corso un ripristino dell'archivio in " + address.data_dir.string() +
                            " (bp-admin restore): avviare il server quando è finito");
  if (!fd.ok()) return fd.status();
  claim.fd_ = *fd;
  return claim;
}

namespace backup {

Result<std::unique_ptr<RestoreLock>> RestoreLock::take(const std::filesystem::path& data_dir) {
  auto fd = lock_folder(data_dir, LOCK_EX,
                        "un bp-server sta usando questo archivio (" + data_dir.string() +
                            "): fermare tutti i server su questa cartella dei dati e riprovare");
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<RestoreLock>(new RestoreLock(*fd));
}

RestoreLock::~RestoreLock() { ::close(fd_); }

Status create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      return Status::invalid("il file " + path.string() + " esiste già: scegliere un altro nome (una copia non ne sovrascrive un'altra)");
    return Status::io("impossibile creare " + path.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  return Status::ok();
}

FileKind file_kind(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileKind::kMissing;
  char head[16] = {};
  in.read(head, sizeof head);
  if (in.gcount() == 16 && std::memcmp(head, "SQLite format 3", 16) == 0) return FileKind::kSqlite;
  if (in.gcount() >= 5 && std::memcmp(head, "PGDMP", 5) == 0) return FileKind::kPgDump;
  return FileKind::kOther;
}

Status expect_kind(const std::filesystem::path& path, FileKind expected) {
  const FileKind kind = file_kind(path);
  if (kind == expected) return Status::ok();
  const std::string name = path.string();
  switch (kind) {
    case FileKind::kMissing:
      return Status::invalid("non trovo la copia " + name);
    case FileKind::kSqlite:
      return Status::invalid(name + " è una copia di un archivio SQLite: si ripristina senza --database (nella cartella dei dati)");
    case FileKind::kPgDump:
      return Status::invalid(name + " è una copia di PostgreSQL (pg_dump): si ripristina con --database postgresql://…");
    default:
      return Status::invalid(name + " non è una copia fatta con bp-admin backup (né SQLite né pg_dump in formato custom)");
  }
}

Status check_restore(const StoreSnapshot& backup, const StoreSnapshot& store, const RestoreOptions& options) {
  const auto known = static_cast<std::int64_t>(schema::kMigrationCount);
  bool has_registrations = false;
  for (const auto& [name, n] : backup.tables) has_registrations |= name == "registrations";
  if (backup.schema_version <= 0 || !has_registrations)
    return Status::invalid("la copia non contiene un archivio delle iscrizioni");
  if (backup.schema_version > known)
    return Status::invalid("la copia è stata scritta da una versione più recente del programma (schema " +
                           std::to_string(backup.schema_version) +
                           ", questa versione conosce gli schemi fino al numero " + std::to_string(known) +
                           "): aggiornare il programma prima di ripristinarla");
  if (store.schema_version > backup.schema_version)
    return Status::invalid("l'archivio di destinazione ha uno schema più recente (versione " +
                           std::to_string(store.schema_version) + ") della copia (versione " +
                           std::to_string(backup.schema_version) +
                           "): ripristinare in un archivio nuovo (cartella dei dati o database vuoti)");
  if (options.force) return Status::ok();
  // Editions alone are what any server start writes: nothing to lose.
  const auto replace = ": il ripristino lo sostituirebbe per intero. Se è davvero quello che volete, ripetere "
                       "con --force (a server fermi; quello che contiene ora andrà perso)";
  if (const auto n = store.rows("registrations"); n > 0)
    return Status::invalid("l'archivio di destinazione contiene già " +
                           text::count_noun(n, "iscrizione", "iscrizioni") + replace);
  for (const auto& [name, n] : store.tables)
    if (name != "editions" && n > 0)
      return Status::invalid("l'archivio di destinazione non è vuoto (tabella " + name + ": " +
                             text::count_noun(n, "riga", "righe") + ")" + replace);
  return Status::ok();
}

Status compare(const StoreSnapshot& expected, const StoreSnapshot& got, const std::string& what) {
  if (expected.schema_version != got.schema_version)
    return Status::io(what + ": versione dello schema " + std::to_string(got.schema_version) + " invece di " +
                      std::to_string(expected.schema_version));
  for (const auto& [name, n] : expected.tables)
    if (got.rows(name) != n)
      return Status::io(what + ": tabella " + name + " con " + std::to_string(got.rows(name)) +
                        " righe invece di " + std::to_string(n));
  for (const auto& [name, n] : got.tables)
    if (n > 0 && expected.rows(name) == 0)
      return Status::io(what + ": tabella " + name + " con " + std::to_string(n) + " righe invece di 0");
  return Status::ok();
}

}  // namespace backup
}  // namespace bp::registration
