// Account chores shared by `bp-admin user|token` and the back office's
// accounts page: the rules (a plausible e-mail, a password that passes
// password_problem, hashed with Argon2id) and the token format, in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bp/registration/account_store.h"
#include "bp/status.h"

namespace bp::registration {

// Argon2id cost (registration::Options::password_passes/_memory_bytes).
struct PasswordCostOptions {
  unsigned long long passes = 2;
  std::size_t memory_bytes = 64u << 20;
};

// Creates an account. Invalid (Italian reason) for an implausible e-mail or a
// password that fails the rules (password.h); Conflict when the e-mail has
// an account already.
Result<Account> create_account(AccountStore& store, const std::string& email, Role role,
                               const std::string& password, PasswordCostOptions cost = {});

// Sets a new password for `email` (its sessions end). Invalid as above;
// NotFound when there is no such account.
Status reset_password(AccountStore& store, const std::string& email, const std::string& password,
                      PasswordCostOptions cost = {});

// A new personal API token for `account_id` labelled `label`: returns the
// clear token ("bp_" and 52 base32 characters, 256 bits), shown once; the
// store keeps its SHA-256. NotFound for an unknown account.
Result<std::string> create_api_token(AccountStore& store, std::int64_t account_id, const std::string& label);

}  // namespace bp::registration
