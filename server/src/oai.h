// The OAI-PMH 2.0 repository at /oai (openarchives.org/OAI/openarchivesprotocol.html):
// every verb and error, metadata formats oai_dc and "pratica" (the whole
// front matter), sets per hub, theme, dimension and SDG, deleted records
// kept for ever (deletedRecord "persistent"), lists in pages of at most
// 100 with resumption tokens (oai_token.h). The handler stays thin: it
// passes the arguments here and sends the answer.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::server {

struct OaiConfig {
  // Absolute site root without a trailing slash; the base URL is base_url + "/oai".
  std::string base_url;
  // Identify's adminEmail (without "mailto:").
  std::string admin_email;
  // The domain-like repository identifier of oai:<id>:<slug> identifiers
  // (the public host name). The oai-identifier description is only added
  // to Identify when it has the shape that scheme requires.
  std::string repository_id;
  const Taxonomy* taxonomy = nullptr;
  // Records or identifiers per list page.
  std::size_t page_size = 100;
};

// The arguments in request order (GET query or POST form), repeats kept.
using OaiArguments = std::vector<std::pair<std::string, std::string>>;

struct OaiAnswer {
  // 200 for every protocol answer, errors included; 503 when the index
  // cannot be read (the body is then empty: retry later).
  int status = 200;
  std::string xml;
};

// The XML Schema location of the "pratica" format, served at this path.
inline constexpr const char* kPraticaSchemaPath = "/oai/pratica.xsd";
inline constexpr const char* kPraticaNamespace = "urn:it:buonepratiche:pratica:1.0";

// Answers one request at `now` (responseDate, token expiry) from `records`.
OaiAnswer oai_answer(const OaiConfig& config, const OaiArguments& arguments, Searcher& records,
                     std::chrono::system_clock::time_point now);

// oai:<repository_id>:<slug>.
std::string oai_identifier(const OaiConfig& config, const std::string& slug);

}  // namespace bp::server
