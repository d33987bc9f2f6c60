#include "bp/registration/account_admin.h"

#include "crypto.h"
#include "password.h"

namespace bp::registration {

namespace {

std::string lower_trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

Status check(const std::string& email, const std::string& password) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      email.find_first_of(" \t<>\"") != std::string::npos)
    return Status::invalid("indirizzo e-mail non valido: " + email);
  if (std::string why = password_problem(password, email); !why.empty()) return Status::invalid(why);
  return Status::ok();
}

}  // namespace

Result<Account> create_account(AccountStore& store, const std::string& email_in, Role role,
                               const std::string& password, PasswordCostOptions cost) {
  const std::string email = lower_trim(email_in);
  if (Status s = check(email, password); !s.is_ok()) return s;
  PasswordHasher hasher({cost.passes, cost.memory_bytes}, 1);
  auto hash = hasher.hash(password);
  if (!hash.ok()) return hash.status();
  return store.add_account(email, role, *hash);
}

Status reset_password(AccountStore& store, const std::string& email_in, const std::string& password,
                      PasswordCostOptions cost) {
  const std::string email = lower_trim(email_in);
  auto account = store.find_account(email);
  if (!account.ok()) return account.status();
  if (Status s = check(email, password); !s.is_ok()) return s;
  PasswordHasher hasher({cost.passes, cost.memory_bytes}, 1);
  auto hash = hasher.hash(password);
  if (!hash.ok()) return hash.status();
  return store.set_password(account->id, *hash);
}

Result<std::string> create_api_token(AccountStore& store, std::int64_t account_id, const std::string& label) {
  const std::string token = "bp_" + random_base32(32);
  auto added = store.add_token(account_id, label.empty() ? "token" : label.substr(0, 100), to_hex(sha256(token)));
  if (!added.ok()) return added.status();
  return token;
}

}  // namespace bp::registration
