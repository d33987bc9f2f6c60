// OAI-PMH resumption tokens: opaque to harvesters, they carry the whole
// state of a list request, so any server of a replicated index can answer
// them and re-issuing one repeats its page. A list is ordered by
// (datestamp, slug) with `until` frozen at the first request, so records
// changed or added during a harvest (their datestamp moves past `until`)
// neither repeat nor shift the pages: the harvester gets them next time,
// from= its previous start.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace bp::server {

struct OaiListState {
  std::string verb;             // "ListIdentifiers" or "ListRecords"
  std::string metadata_prefix;  // "oai_dc", "pratica"
  std::string set;              // "" for no set
  std::string from;             // full datestamps, "" for no bound
  std::string until;            // never "": frozen at the first request
  std::string after_datestamp;  // the last record sent
  std::string after_slug;
  std::uint64_t cursor = 0;     // records sent before the page this token asks for
  std::int64_t issued = 0;      // seconds since the epoch
};

// How long a token stays valid (expirationDate).
inline constexpr std::chrono::hours kOaiTokenLifetime{24};

std::string encode_token(const OaiListState& state);

// The state of `token`, or nullopt when it is malformed, was not made by
// encode_token, names another verb than `verb`, or expired before `now`.
std::optional<OaiListState> decode_token(const std::string& token, const std::string& verb,
                                         std::chrono::system_clock::time_point now);

}  // namespace bp::server
