#include "password.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "crypto.h"

namespace bp::registration {

namespace {

// The most used passwords and the words most passwords are made of (lists
// of leaked passwords, Italian and English), compared after lower-casing
// and removing everything but letters: "Juventus1897!" is "juventus".
constexpr std::array<std::string_view, 96> kCommonWords = {
    "password", "passwort", "passw", "pass", "qwerty", "qwertyuiop", "qwertz", "azerty", "asdfgh", "asdfghjkl",
    "zxcvbnm", "qazwsx", "qwe", "abc", "abcdef", "abcdefgh", "abcdefghijkl", "iloveyou", "ilove", "love",
    "admin", "administrator", "root", "welcome", "letmein", "monkey", "dragon", "master", "sunshine", "princess",
    "football", "baseball", "soccer", "superman", "batman", "starwars", "shadow", "trustno", "secret", "changeme",
    "default", "test", "testing", "guest", "user", "login", "access", "hello", "freedom", "whatever",
    "michael", "jordan", "charlie", "computer", "internet", "google", "facebook", "samsung", "apple", "ciao",
    "amore", "tiamo", "ciaociao", "juventus", "milan", "inter", "napoli", "roma", "lazio", "forzainter",
    "forzamilan", "forzanapoli", "forzaroma", "forzajuve", "juve", "italia", "italy", "francesca", "giuseppe",
    "andrea", "alessandro", "francesco", "giovanni", "valentina", "chiara", "martina", "giulia", "sole",
    "mare", "estate", "buonepratiche", "retisolidali", "solidali", "iscrizioni", "staff", "segreteria"};

constexpr std::array<std::string_view, 8> kCommonWhole = {
    "1q2w3e4r5t6y", "1qaz2wsx3edc", "123qweasdzxc", "qwerty123456", "password1234", "1234567890ab",
    "zaq12wsxcde3", "q1w2e3r4t5y6"};

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct PasswordHasher::Slot {
  explicit Slot(const PasswordHasher& h) : h_(h) {
    std::unique_lock lock(h_.mu_);
    h_.cv_.wait(lock, [&] { return h_.free_ > 0; });
    --h_.free_;
  }
  ~Slot() {
    {
      std::lock_guard lock(h_.mu_);
      ++h_.free_;
    }
    h_.cv_.notify_one();
  }
  const PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(PasswordCost cost, int max_concurrent) : cost_(cost), free_(std::max(1, max_concurrent)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium: sodium_init failed");
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  Slot slot(*this);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost_.ops, cost_.mem) != 0)
    return Status::io("memoria insufficiente per calcolare l'hash della password");
  return std::string(out);
}

bool PasswordHasher::verify(const std::string& stored, std::string_view password) const {
  // Made once, on the first unknown account: it costs one hash.
  std::call_once(dummy_once_, [this] {
    auto dummy = hash(random_base32(20));
    dummy_ = dummy.ok() ? *dummy : std::string();
  });
  Slot slot(*this);
  const std::string& against = stored.empty() ? dummy_ : stored;
  if (against.empty()) return false;
  const bool match = crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
  return match && !stored.empty();
}

std::string password_problem(std::string_view password, std::string_view email) {
  if (utf8_chars(password) < kMinPasswordChars)
    return "la password deve avere almeno " + std::to_string(kMinPasswordChars) + " caratteri";
  if (password.size() > 1024) return "la password è troppo lunga (al massimo 1024 caratteri)";
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); }))
    return "la password non può essere un solo carattere ripetuto";
  const std::string whole = lower(password);
  std::string letters;
  for (char c : whole)
    if (std::isalpha(static_cast<unsigned char>(c))) letters += c;
  const std::string name = lower(email.substr(0, email.find('@')));
  if (name.size() >= 4 && whole.find(name) != std::string::npos)
    return "la password non può contenere il nome dell'indirizzo e-mail dell'account";
  const bool common_word = std::find(kCommonWords.begin(), kCommonWords.end(), letters) != kCommonWords.end();
  const bool common_whole = std::find(kCommonWhole.begin(), kCommonWhole.end(), whole) != kCommonWhole.end();
  // Digits and symbols around a common word add little; digits alone are
  // dates and phone numbers.
  const bool digits_only = std::all_of(whole.begin(), whole.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (common_word || common_whole || digits_only)
    return "la password è tra quelle più usate (o ne è una variante con numeri e simboli): scegline una meno "
           "prevedibile, per esempio tre o quattro parole senza legame tra loro";
  return "";
}

}  // namespace bp::registration
