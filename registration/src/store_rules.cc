#include "store_rules.h"

#include "bp/civil_time.h"
#include "crypto.h"

namespace bp::registration {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

void renew_links(Registration& r) {
  r.token = random_base32(kTokenBytes);
  r.token_hash = sha256(r.token);
  if (r.status == "pending") {
    r.confirm_token = random_base32(kTokenBytes);
    r.confirm_hash = sha256(r.confirm_token);
  }
}

void promote(Registration& next, std::int64_t now, int hold_seconds) {
  next.promoted_at = utc_iso(now);
  if (hold_seconds > 0) {
    next.status = "pending";
    next.hold_expires_at = now + hold_seconds;
    next.confirm_token = random_base32(kTokenBytes);
    next.confirm_hash = sha256(next.confirm_token);
  } else {
    next.status = "confirmed";
    next.confirmed_at = next.promoted_at;
  }
}

}  // namespace bp::registration
