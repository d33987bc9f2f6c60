#include "oai.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "bp/civil_time.h"
#include "oai_formats.h"
#include "oai_token.h"
#include "open_metadata.h"
#include "xml_writer.h"

namespace bp::server {
namespace {

using Clock = std::chrono::system_clock;

constexpr const char* kGranularity = "YYYY-MM-DDThh:mm:ssZ";

struct OaiError {
  std::string code;
  std::string message;
};

// Arguments each verb accepts (besides "verb").
const std::map<std::string, std::set<std::string>>& verbs() {
  static const std::map<std::string, std::set<std::string>> k = {
      {"Identify", {}},
      {"ListMetadataFormats", {"identifier"}},
      {"ListSets", {"resumptionToken"}},
      {"ListIdentifiers", {"metadataPrefix", "from", "until", "set", "resumptionToken"}},
      {"ListRecords", {"metadataPrefix", "from", "until", "set", "resumptionToken"}},
      {"GetRecord", {"identifier", "metadataPrefix"}},
  };
  return k;
}

struct Format {
  const char* prefix;
  const char* schema;  // "" -> config.base_url + kPraticaSchemaPath
  const char* ns;
};
constexpr Format kFormats[] = {
    {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"},
    {"pratica", "", kPraticaNamespace},
};

bool known_format(const std::string& prefix) {
  return std::any_of(std::begin(kFormats), std::end(kFormats),
                     [&](const Format& f) { return prefix == f.prefix; });
}

// The schema's metadataPrefixType (characters of RFC 2396's "unreserved"
// set) and setSpecType (such parts joined by ':'), checked by a scan: the
// value comes from the request, up to 64 KiB in a POST body, and
// libstdc++'s std::regex recurses once per character (a long value
// overflowed the stack).
bool is_spec(std::string_view v, bool set) {
  const auto unreserved = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
  };
  if (v.empty()) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (unreserved(v[i])) continue;
    // A ':' joins two non-empty parts of a set.
    if (!set || v[i] != ':' || i == 0 || i + 1 == v.size() || v[i + 1] == ':') return false;
  }
  return true;
}

// "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ", a day of the calendar (not
// 2023-02-30) and a time of the clock.
bool is_day(const std::string& s) {
  static const std::regex k(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  return std::regex_match(s, k) &&
         std::stoi(s.substr(8, 2)) <= days_in_month(std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)));
}
bool is_second(const std::string& s) {
  static const std::regex k(R"(T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ)");
  return s.size() == 20 && is_day(s.substr(0, 10)) && std::regex_match(s.substr(10), k);
}

class Responder {
 public:
  Responder(const OaiConfig& config, Searcher& records, Clock::time_point now)
      : config_(config), records_(records), now_(now), response_date_(utc_datestamp(now)) {}

  OaiAnswer answer(const OaiArguments& args);

 private:
  std::string base() const { return config_.base_url + "/oai"; }
  void begin(const std::vector<std::pair<std::string, std::string>>& echo);
  OaiAnswer errors(const std::vector<OaiError>& errors, bool echo_arguments);
  OaiAnswer finish() { return {200, xml_.finish()}; }
  OaiAnswer unavailable() { return {503, ""}; }

  OaiAnswer identify();
  OaiAnswer list_metadata_formats();
  OaiAnswer list_sets();
  OaiAnswer list(const std::string& verb);
  OaiAnswer get_record();

  std::optional<std::string> slug_of(const std::string& identifier) const;
  void write_header(const RecordHeader& h);
  // Writes <metadata> for the record, or nothing for a tombstone. False when
  // the index could not be read.
  bool write_record(const RecordHeader& h, const std::string& prefix);

  const OaiConfig& config_;
  Searcher& records_;
  Clock::time_point now_;
  std::string response_date_;
  std::map<std::string, std::string> args_;
  OaiArguments ordered_;
  XmlWriter xml_;
};

void Responder::begin(const std::vector<std::pair<std::string, std::string>>& echo) {
  xml_.open("OAI-PMH", {{"xmlns", "http://www.openarchives.org/OAI/2.0/"},
                        {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
                        {"xsi:schemaLocation",
                         "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"}});
  xml_.leaf("responseDate", response_date_);
  xml_.leaf("request", base(), echo);
}

OaiAnswer Responder::errors(const std::vector<OaiError>& errors, bool echo_arguments) {
  // After badVerb or badArgument the arguments are not echoed: they may be
  // anything (the validator sends identifier=invalid"id).
  begin(echo_arguments ? ordered_ : OaiArguments{});
  for (const auto& e : errors) xml_.leaf("error", e.message, {{"code", e.code}});
  return finish();
}

OaiAnswer Responder::answer(const OaiArguments& args) {
  std::vector<std::string> verbs_given;
  for (const auto& [key, value] : args)
    if (key == "verb") verbs_given.push_back(value);
  if (verbs_given.size() != 1 || !verbs().count(verbs_given[0]))
    return errors({{"badVerb", verbs_given.empty() ? "Manca l'argomento verb."
                                                   : verbs_given.size() > 1 ? "L'argomento verb è ripetuto."
                                                                            : "Verbo OAI-PMH sconosciuto."}},
                  false);
  const std::string verb = verbs_given[0];
  const auto& allowed = verbs().at(verb);
  for (const auto& [key, value] : args) {
    if (key != "verb" && !allowed.count(key))
      return errors({{"badArgument", "Argomento non ammesso per " + verb + ": " + key + "."}}, false);
    if (!args_.emplace(key, value).second)
      return errors({{"badArgument", "Argomento ripetuto: " + key + "."}}, false);
  }
  // Values echoed in <request> must fit the schema's types: a prefix or set
  // of another shape cannot name anything here anyway.
  if (auto it = args_.find("metadataPrefix"); it != args_.end() && !is_spec(it->second, false))
    return errors({{"badArgument", "metadataPrefix non valido."}}, false);
  if (auto it = args_.find("set"); it != args_.end() && !is_spec(it->second, true))
    return errors({{"badArgument", "set non valido."}}, false);
  ordered_ = args;
  if (verb == "Identify") return identify();
  if (verb == "ListMetadataFormats") return list_metadata_formats();
  if (verb == "ListSets") return list_sets();
  if (verb == "GetRecord") return get_record();
  return list(verb);
}

std::string oai_identifier_of(const OaiConfig& config, const std::string& slug) {
  return "oai:" + config.repository_id + ":" + slug;
}

std::optional<std::string> Responder::slug_of(const std::string& identifier) const {
  const std::string prefix = "oai:" + config_.repository_id + ":";
  if (identifier.rfind(prefix, 0) != 0) return std::nullopt;
  std::string slug = identifier.substr(prefix.size());
  if (slug.empty()) return std::nullopt;
  return slug;
}

OaiAnswer Responder::identify() {
  auto headers = records_.record_headers();
  if (!headers.ok()) return unavailable();
  std::string earliest = response_date_;
  for (const auto& h : *headers)
    if (!h.datestamp.empty() && h.datestamp < earliest) earliest = h.datestamp;
  begin(ordered_);
  xml_.open("Identify");
  xml_.leaf("repositoryName", kLibraryName);
  xml_.leaf("baseURL", base());
  xml_.leaf("protocolVersion", "2.0");
  xml_.leaf("adminEmail", config_.admin_email);
  xml_.leaf("earliestDatestamp", earliest);
  xml_.leaf("deletedRecord", "persistent");
  xml_.leaf("granularity", kGranularity);
  static const std::regex kRepositoryId(R"([a-zA-Z0-9][a-zA-Z0-9\-]*(\.[a-zA-Z0-9][a-zA-Z0-9\-]*)+)");
  if (std::regex_match(config_.repository_id, kRepositoryId)) {
    const std::string sample =
        headers->empty() ? "nome-della-pratica" : headers->front().slug;
    xml_.open("description");
    xml_.open("oai-identifier",
              {{"xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier"},
               {"xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai-identifier "
                "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"}});
    xml_.leaf("scheme", "oai");
    xml_.leaf("repositoryIdentifier", config_.repository_id);
    xml_.leaf("delimiter", ":");
    xml_.leaf("sampleIdentifier", oai_identifier_of(config_, sample));
    xml_.close();
    xml_.close();
  }
  xml_.close();
  return finish();
}

OaiAnswer Responder::list_metadata_formats() {
  if (auto it = args_.find("identifier"); it != args_.end()) {
    auto slug = slug_of(it->second);
    if (!slug) return errors({{"idDoesNotExist", "Identificatore sconosciuto in questo archivio."}}, true);
    auto found = records_.record(*slug);
    if (!found.ok()) {
      if (found.status().code() == Code::kNotFound)
        return errors({{"idDoesNotExist", "Identificatore sconosciuto in questo archivio."}}, true);
      return unavailable();
    }
  }
  begin(ordered_);
  xml_.open("ListMetadataFormats");
  for (const auto& f : kFormats) {
    xml_.open("metadataFormat");
    xml_.leaf("metadataPrefix", f.prefix);
    xml_.leaf("schema", *f.schema ? std::string(f.schema) : config_.base_url + kPraticaSchemaPath);
    xml_.leaf("metadataNamespace", f.ns);
    xml_.close();
  }
  xml_.close();
  return finish();
}

OaiAnswer Responder::list_sets() {
  if (args_.count("resumptionToken"))
    return errors({{"badResumptionToken", "Questo archivio non rilascia token per l'elenco degli insiemi."}}, true);
  struct Family {
    const char* spec;
    const char* vocabulary;
    const char* name;
  };
  static const Family kFamilies[] = {
      {"hub", "hub", "Hub territoriali"},
      {"theme", "theme", "Temi"},
      {"dimension", "dimension", "Dimensioni della sostenibilità"},
      {"sdg", "sdg", "Obiettivi di sviluppo sostenibile"},
  };
  begin(ordered_);
  xml_.open("ListSets");
  for (const auto& family : kFamilies) {
    xml_.open("set");
    xml_.leaf("setSpec", family.spec);
    xml_.leaf("setName", family.name);
    xml_.close();
    const Vocabulary* v = config_.taxonomy->vocabulary(family.vocabulary);
    if (!v) continue;
    for (const auto& term : v->terms) {
      xml_.open("set");
      xml_.leaf("setSpec", std::string(family.spec) + ":" + term.slug);
      const std::string label = term.label.empty() ? term.slug : term.label;
      xml_.leaf("setName", std::string(family.spec) == "sdg" ? "Obiettivo " + term.slug + ": " + label : label);
      xml_.close();
    }
  }
  xml_.close();
  return finish();
}

void Responder::write_header(const RecordHeader& h) {
  XmlAttributes attributes;
  if (h.deleted) attributes.push_back({"status", "deleted"});
  xml_.open("header", attributes);
  xml_.leaf("identifier", oai_identifier_of(config_, h.slug));
  xml_.leaf("datestamp", h.datestamp.empty() ? response_date_ : h.datestamp);
  for (const auto& set : h.sets) xml_.leaf("setSpec", set);
  xml_.close();
}

bool Responder::write_record(const RecordHeader& h, const std::string& prefix) {
  std::optional<Record> record;
  if (!h.deleted) {
    auto found = records_.record(h.slug);
    if (!found.ok()) return found.status().code() == Code::kNotFound;  // gone since the list was read: skip
    record = std::move(*found);
  }
  xml_.open("record");
  write_header(record ? record->header : h);
  if (record && !record->header.deleted) {
    xml_.open("metadata");
    if (prefix == "oai_dc") write_oai_dc(xml_, *record, config_);
    else write_pratica(xml_, *record, config_);
    xml_.close();
  }
  xml_.close();
  return true;
}

OaiAnswer Responder::get_record() {
  if (!args_.count("identifier") || !args_.count("metadataPrefix"))
    return errors({{"badArgument", "GetRecord richiede identifier e metadataPrefix."}}, false);
  const std::string prefix = args_["metadataPrefix"];
  auto slug = slug_of(args_["identifier"]);
  std::optional<Record> record;
  if (slug) {
    auto found = records_.record(*slug);
    if (found.ok()) record = std::move(*found);
    else if (found.status().code() != Code::kNotFound) return unavailable();
  }
  if (!record) return errors({{"idDoesNotExist", "Identificatore sconosciuto in questo archivio."}}, true);
  if (!known_format(prefix))
    return errors({{"cannotDisseminateFormat", "Formato non disponibile: usa oai_dc o pratica."}}, true);
  begin(ordered_);
  xml_.open("GetRecord");
  xml_.open("record");
  write_header(record->header);
  if (!record->header.deleted) {
    xml_.open("metadata");
    if (prefix == "oai_dc") write_oai_dc(xml_, *record, config_);
    else write_pratica(xml_, *record, config_);
    xml_.close();
  }
  xml_.close();
  xml_.close();
  return finish();
}

OaiAnswer Responder::list(const std::string& verb) {
  OaiListState state;
  if (auto it = args_.find("resumptionToken"); it != args_.end()) {
    if (args_.size() > 2)  // verb and the token
      return errors({{"badArgument", "resumptionToken non si combina con altri argomenti."}}, false);
    auto decoded = decode_token(it->second, verb, now_);
    if (!decoded)
      return errors({{"badResumptionToken",
                      "Token di ripresa non valido o scaduto: ricomincia la raccolta dalla prima pagina."}},
                    true);
    state = std::move(*decoded);
  } else {
    if (!args_.count("metadataPrefix"))
      return errors({{"badArgument", verb + " richiede metadataPrefix."}}, false);
    state.verb = verb;
    state.metadata_prefix = args_["metadataPrefix"];
    // An argument given is a date; an empty one ("from=") is not.
    std::string from = args_.count("from") ? args_["from"] : "";
    std::string until = args_.count("until") ? args_["until"] : "";
    for (const char* name : {"from", "until"})
      if (args_.count(name) && !is_day(args_[name]) && !is_second(args_[name]))
        return errors({{"badArgument", "Data non valida: usa AAAA-MM-GG o AAAA-MM-GGThh:mm:ssZ."}}, false);
    if (!from.empty() && !until.empty() && from.size() != until.size())
      return errors({{"badArgument", "from e until devono avere la stessa granularità."}}, false);
    if (!from.empty() && from.size() == 10) from += "T00:00:00Z";
    if (!until.empty() && until.size() == 10) until += "T23:59:59Z";
    if (!from.empty() && !until.empty() && from > until)
      return errors({{"badArgument", "from è successivo a until."}}, false);
    if (!known_format(state.metadata_prefix))
      return errors({{"cannotDisseminateFormat", "Formato non disponibile: usa oai_dc o pratica."}}, true);
    state.from = from;
    // Frozen for the whole harvest: what changes meanwhile comes next time.
    state.until = until.empty() || until > response_date_ ? response_date_ : until;
    state.set = args_.count("set") ? args_["set"] : "";
    state.issued = std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count();
  }

  auto headers = records_.record_headers();
  if (!headers.ok()) return unavailable();
  auto in_set = [&](const RecordHeader& h) {
    if (state.set.empty()) return true;
    return std::any_of(h.sets.begin(), h.sets.end(), [&](const std::string& s) {
      return s == state.set || s.rfind(state.set + ":", 0) == 0;
    });
  };
  std::vector<const RecordHeader*> matching;
  for (const auto& h : *headers) {
    const std::string& d = h.datestamp;
    if ((!state.from.empty() && d < state.from) || d > state.until || !in_set(h)) continue;
    matching.push_back(&h);
  }
  const std::size_t complete = matching.size();
  auto after = [&](const RecordHeader* h) {
    return h->datestamp != state.after_datestamp ? h->datestamp > state.after_datestamp
                                                 : h->slug > state.after_slug;
  };
  std::vector<const RecordHeader*> remaining;
  for (const RecordHeader* h : matching)
    if (state.after_datestamp.empty() || after(h)) remaining.push_back(h);
  if (remaining.empty())
    return errors({{"noRecordsMatch", "Nessun record corrisponde alla richiesta."}}, true);

  const std::size_t page = std::min(config_.page_size, remaining.size());
  begin(ordered_);
  xml_.open(verb);
  for (std::size_t i = 0; i < page; ++i) {
    if (verb == "ListIdentifiers") write_header(*remaining[i]);
    else if (!write_record(*remaining[i], state.metadata_prefix)) return unavailable();
  }
  const bool more = remaining.size() > page;
  const bool resumed = args_.count("resumptionToken") > 0;
  if (more || resumed) {
    XmlAttributes attributes = {{"completeListSize", std::to_string(std::max(complete, state.cursor + remaining.size()))},
                                {"cursor", std::to_string(state.cursor)}};
    std::string token;
    if (more) {
      OaiListState next = state;
      next.after_datestamp = remaining[page - 1]->datestamp;
      next.after_slug = remaining[page - 1]->slug;
      next.cursor = state.cursor + page;
      // Each page's token lives a full period from its own issue.
      next.issued = std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count();
      token = encode_token(next);
      attributes.insert(attributes.begin(),
                        {"expirationDate", utc_datestamp(Clock::time_point(std::chrono::seconds(next.issued)) +
                                                         kOaiTokenLifetime)});
    }
    xml_.leaf("resumptionToken", token, attributes);
  }
  xml_.close();
  return finish();
}

}  // namespace

std::string oai_identifier(const OaiConfig& config, const std::string& slug) {
  return oai_identifier_of(config, slug);
}

OaiAnswer oai_answer(const OaiConfig& config, const OaiArguments& arguments, Searcher& records,
                     std::chrono::system_clock::time_point now) {
  Responder responder(config, records, now);
  return responder.answer(arguments);
}

}  // namespace bp::server
