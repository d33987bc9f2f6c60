// open_store(): the engine a database URL names (store.h).
#include "bp/registration/store.h"
#include "store_test_hooks.h"

namespace bp::registration {

Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const std::filesystem::path& data_dir,
                                          Composer compose, StoreOptions options) {
  return open_store_with_hooks(database_url, data_dir, std::move(compose), std::move(options), {});
}

Result<std::unique_ptr<Store>> open_store_with_hooks(const std::string& database_url,
                                                     const std::filesystem::path& data_dir, Composer compose,
                                                     StoreOptions options, StoreTestHooks hooks) {
  if (database_url.empty())
    return open_sqlite_store_with_hooks(data_dir, std::move(compose), std::move(options), std::move(hooks));
  if (database_url.rfind("postgresql://", 0) == 0 || database_url.rfind("postgres://", 0) == 0)
    return open_postgresql_store_with_hooks(database_url, std::move(compose), std::move(options),
                                            std::move(hooks));
  return Status::invalid(
      "indirizzo del database non riconosciuto: deve iniziare con postgresql:// (per SQLite nella cartella "
      "dei dati non impostare né --database né BP_DATABASE_URL)");
}

}  // namespace bp::registration
