// Staff passwords: Argon2id through libsodium (crypto_pwhash_str, the
// algorithm and its cost stored in the string itself), and the rules a new
// password must meet. Passwords are never stored, logged or echoed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "bp/status.h"

namespace bp::registration {

// Argon2id's cost. The default is libsodium's INTERACTIVE level (2 passes,
// 64 MiB), above OWASP's floor (19 MiB, 2 passes); tests lower it to the
// minimum to stay fast. A stored hash keeps the cost it was made with.
struct PasswordCost {
  unsigned long long ops = 2;
  std::size_t mem = 64u << 20;
};

class PasswordHasher {
 public:
  // At most `max_concurrent` hashes run at once (each takes `cost.mem`):
  // 8 logins at once would otherwise take 512 MiB. Others wait their turn.
  explicit PasswordHasher(PasswordCost cost = {}, int max_concurrent = 2);

  // The crypto_pwhash_str string of `password`. Io if libsodium fails (out
  // of memory).
  Result<std::string> hash(std::string_view password) const;

  // Whether `password` matches `stored`. With an empty `stored` (unknown
  // account) it verifies against a hash of a random password, so that the
  // answer takes as long as for a real account, and returns false.
  bool verify(const std::string& stored, std::string_view password) const;

 private:
  struct Slot;
  PasswordCost cost_;
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable int free_;
};

constexpr std::size_t kMinPasswordChars = 12;

// The Italian reason why `password` cannot be used for `email`'s account, or
// "" when it can: fewer than 12 characters, longer than 1024 bytes, one
// character repeated, the e-mail's name in it, or a common password (a
// list of the most used passwords, and those words with digits and symbols
// added, such as "Password2024!").
std::string password_problem(std::string_view password, std::string_view email);

}  // namespace bp::registration
