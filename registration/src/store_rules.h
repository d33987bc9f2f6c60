// What both store engines do to a registration inside their transactions, so
// SQLite and PostgreSQL cannot drift apart: token sizes, how addresses are
// compared, how links are renewed and how a waiting person gets a seat. The
// engines own the SQL; these functions only change the Registration value.
#pragma once

#include <cstdint>
#include <string>

#include "bp/registration/store.h"

namespace bp::registration {

// Personal and confirmation tokens: 160 bits, as the Desk's.
inline constexpr int kTokenBytes = 20;

// How long a request's idempotency key is remembered.
inline constexpr std::int64_t kIdempotencyTtl = 24 * 3600;

// `s` with A–Z lowered: how addresses are compared (email_norm). Other bytes,
// UTF-8 included, are left alone.
std::string lower_ascii(std::string s);

// Issues `r` a fresh personal link (token in clear for the message, its hash
// for the row) and, while `r` is pending, a fresh confirmation link too; a
// registration in another status keeps no confirmation hash change.
void renew_links(Registration& r);

// The waiting person `next` gets the freed seat at `now`: `promoted_at` set;
// with holds on (`hold_seconds` > 0) pending until now + hold_seconds with a
// new confirmation link, otherwise confirmed at once.
void promote(Registration& next, std::int64_t now, int hold_seconds);

}  // namespace bp::registration
