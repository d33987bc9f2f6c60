#include "record_store.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <unordered_map>

#include "schema.h"
#include "search_document.h"
#include "search_index.h"

namespace bp {

std::string utc_datestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::string> practice_sets(const std::string& hub, const std::vector<std::string>& themes,
                                       const std::vector<std::string>& dimensions,
                                       const std::vector<std::string>& sdgs) {
  std::vector<std::string> sets;
  if (!hub.empty()) sets.push_back("hub:" + hub);
  for (const auto& t : themes) sets.push_back("theme:" + t);
  for (const auto& d : dimensions) sets.push_back("dimension:" + d);
  for (const auto& n : sdgs) sets.push_back("sdg:" + n);
  return sets;
}

namespace records {
namespace {

std::vector<std::string> split(const std::string& joined, char sep) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = joined.find(sep, start);
    out.push_back(joined.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

std::string slug_of_path(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

std::vector<std::string> sets_of(const Xapian::Document& doc) {
  return practice_sets(doc.get_value(schema::kSlotHub),
                       split(doc.get_value(schema::kSlotTheme), schema::kFacetSeparator),
                       split(doc.get_value(schema::kSlotDimension), schema::kFacetSeparator),
                       split(doc.get_value(schema::kSlotSdg), schema::kFacetSeparator));
}

RecordHeader tombstone_header(const std::string& slug, const std::string& value) {
  std::vector<std::string> parts = split(value, schema::kFacetSeparator);
  RecordHeader h;
  h.slug = slug;
  h.deleted = true;
  if (!parts.empty()) h.datestamp = parts.front();
  h.sets.assign(parts.begin() + (parts.empty() ? 0 : 1), parts.end());
  return h;
}

Record live_record(const Xapian::Document& doc, Publications& published) {
  Record r;
  r.data = search::page_data(doc);
  r.data.erase("body_html");
  r.header.slug = search::string_field(r.data, "slug");
  if (r.header.slug.empty()) r.header.slug = slug_of_path(doc.get_value(schema::kSlotPath));
  r.header.datestamp = published.datestamp(doc.get_value(schema::kSlotModified)).value_or("");
  r.header.sets = sets_of(doc);
  return r;
}

// The stamp a tombstone's value starts with.
std::string tombstone_stamp(const std::string& value) { return value.substr(0, value.find(schema::kFacetSeparator)); }

}  // namespace

Publications::Publications(const Xapian::Database& db)
    : db_(db), legacy_(db.get_metadata(std::string(schema::kMetaPublishes)).empty()) {}

std::optional<std::string> Publications::datestamp(const std::string& stamp) {
  if (legacy_) return stamp;
  auto it = read_.find(stamp);
  if (it == read_.end())
    it = read_.emplace(stamp, db_.get_metadata(std::string(schema::kMetaPublishedPrefix) + stamp)).first;
  if (it->second.empty()) return std::nullopt;
  return it->second;
}

std::string publication_datestamp(std::chrono::system_clock::time_point now, std::chrono::seconds delay) {
  return utc_datestamp(std::chrono::floor<std::chrono::seconds>(now) + std::chrono::seconds(1) + delay);
}

std::string unused_stamp(const Xapian::Database& db, std::chrono::system_clock::time_point started) {
  const std::string prefix(schema::kMetaPublishedPrefix);
  // A database written before publications publishes its stamps as
  // themselves (adopt_publications): none of them is free either.
  std::set<std::string> carried;
  if (db.get_metadata(std::string(schema::kMetaPublishes)).empty()) carried = carried_stamps(db);
  for (auto t = started;; t += std::chrono::seconds(1)) {
    std::string stamp = utc_datestamp(t);
    if (db.get_metadata(prefix + stamp).empty() && !carried.count(stamp)) return stamp;
  }
}

std::set<std::string> carried_stamps(const Xapian::Database& db) {
  std::set<std::string> carried;
  for (auto it = db.valuestream_begin(schema::kSlotModified); it != db.valuestream_end(schema::kSlotModified); ++it)
    carried.insert(*it);
  for (const auto& [slug, value] : read_tombstones(db)) carried.insert(tombstone_stamp(value));
  return carried;
}

bool adopt_publications(Xapian::WritableDatabase& db) {
  if (!db.get_metadata(std::string(schema::kMetaPublishes)).empty()) return false;
  const std::string prefix(schema::kMetaPublishedPrefix);
  for (const auto& stamp : carried_stamps(db)) db.set_metadata(prefix + stamp, stamp);
  db.set_metadata(std::string(schema::kMetaPublishes), "1");
  return true;
}

std::vector<std::string> publish(Xapian::WritableDatabase& db, const std::string& at, bool* changed) {
  const std::set<std::string> carried = carried_stamps(db);
  const std::string prefix(schema::kMetaPublishedPrefix);
  std::set<std::string> published;
  std::vector<std::string> forgotten;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string key = *it;
    if (carried.count(key.substr(prefix.size())))
      published.insert(key.substr(prefix.size()));
    else
      forgotten.push_back(key);
  }
  *changed = false;
  for (const auto& key : forgotten) {
    db.set_metadata(key, "");
    *changed = true;
  }
  std::vector<std::string> now_published;
  for (const auto& stamp : carried)
    if (!published.count(stamp)) {
      db.set_metadata(prefix + stamp, at);
      now_published.push_back(stamp);
      *changed = true;
    }
  return now_published;
}

void redate(Xapian::WritableDatabase& db, const std::vector<std::string>& stamps, const std::string& at) {
  for (const auto& stamp : stamps) db.set_metadata(std::string(schema::kMetaPublishedPrefix) + stamp, at);
}

std::string tombstone_key(const std::string& slug) {
  return std::string(schema::kMetaDeletedPrefix) + slug;
}

std::string tombstone_value(const std::string& datestamp, const Xapian::Document& doc) {
  std::string value = datestamp;
  for (const auto& set : sets_of(doc)) value += schema::kFacetSeparator + set;
  return value;
}

std::vector<std::pair<std::string, std::string>> read_tombstones(const Xapian::Database& db) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string prefix(schema::kMetaDeletedPrefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string key = *it;
    std::string value = db.get_metadata(key);
    if (!value.empty()) out.emplace_back(key.substr(prefix.size()), std::move(value));
  }
  return out;
}

std::vector<RecordHeader> read_headers(const Xapian::Database& db) {
  Publications published(db);
  std::unordered_map<Xapian::docid, RecordHeader> by_id;
  for (auto it = db.valuestream_begin(schema::kSlotPath); it != db.valuestream_end(schema::kSlotPath); ++it)
    by_id[it.get_docid()].slug = slug_of_path(*it);
  for (auto it = db.valuestream_begin(schema::kSlotModified);
       it != db.valuestream_end(schema::kSlotModified); ++it)
    by_id[it.get_docid()].datestamp = *it;
  // Sets come from four facet slots; reading them as streams keeps a list of
  // 50,000 headers free of document reads.
  std::unordered_map<Xapian::docid, std::string> hub, theme, dimension, sdg;
  auto slot = [&](Xapian::valueno s, std::unordered_map<Xapian::docid, std::string>& into) {
    for (auto it = db.valuestream_begin(s); it != db.valuestream_end(s); ++it) into[it.get_docid()] = *it;
  };
  slot(schema::kSlotHub, hub);
  slot(schema::kSlotTheme, theme);
  slot(schema::kSlotDimension, dimension);
  slot(schema::kSlotSdg, sdg);
  std::vector<RecordHeader> out;
  out.reserve(by_id.size());
  for (auto& [docid, h] : by_id) {
    if (h.slug.empty()) continue;
    std::optional<std::string> datestamp = published.datestamp(h.datestamp);
    if (!datestamp) continue;  // its build is not published yet
    h.datestamp = std::move(*datestamp);
    h.sets = practice_sets(hub[docid], split(theme[docid], schema::kFacetSeparator),
                           split(dimension[docid], schema::kFacetSeparator),
                           split(sdg[docid], schema::kFacetSeparator));
    out.push_back(std::move(h));
  }
  for (const auto& [slug, value] : read_tombstones(db)) {
    RecordHeader h = tombstone_header(slug, value);
    std::optional<std::string> datestamp = published.datestamp(h.datestamp);
    if (!datestamp) continue;
    h.datestamp = std::move(*datestamp);
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end(), [](const RecordHeader& a, const RecordHeader& b) {
    return a.datestamp != b.datestamp ? a.datestamp < b.datestamp : a.slug < b.slug;
  });
  return out;
}

std::optional<Record> read_record(const Xapian::Database& db, const std::string& slug) {
  const std::string id = std::string(schema::kIdPrefix) + slug;
  Xapian::PostingIterator p = db.postlist_begin(id);
  Publications published(db);
  if (p != db.postlist_end(id)) return live_record(db.get_document(*p), published);
  const std::string value = db.get_metadata(tombstone_key(slug));
  if (value.empty()) return std::nullopt;
  Record r;
  r.header = tombstone_header(slug, value);
  r.header.datestamp = published.datestamp(r.header.datestamp).value_or("");
  return r;
}

std::vector<Record> read_live(const Xapian::Database& db) {
  std::vector<Record> out;
  out.reserve(db.get_doccount());
  Publications published(db);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
    out.push_back(live_record(db.get_document(*it), published));
  std::sort(out.begin(), out.end(),
            [](const Record& a, const Record& b) { return a.header.slug < b.header.slug; });
  return out;
}

History read_history(const Xapian::Database& db, const std::string& now) {
  History h;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    const std::string slug = slug_of_path(doc.get_value(schema::kSlotPath));
    if (slug.empty()) continue;
    h.live[slug] = {doc.get_value(schema::kSlotHash), doc.get_value(schema::kSlotModified),
                    tombstone_value(now, doc)};
  }
  h.tombstones = read_tombstones(db);
  const std::string prefix(schema::kMetaPublishedPrefix);
  if (db.get_metadata(std::string(schema::kMetaPublishes)).empty()) {
    // Written before publications: its stamps were the datestamps.
    for (const auto& stamp : carried_stamps(db)) h.publications.emplace_back(prefix + stamp, stamp);
    return h;
  }
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
    h.publications.emplace_back(*it, db.get_metadata(*it));
  return h;
}

std::string carried_datestamp(const History& history, const std::string& slug,
                              const std::string& hash, const std::string& now) {
  auto it = history.live.find(slug);
  if (history.carry_datestamps && it != history.live.end() && it->second.hash == hash && !it->second.datestamp.empty())
    return it->second.datestamp;
  return now;
}

void write_tombstones(Xapian::WritableDatabase& db, const History& history,
                      const std::set<std::string>& indexed) {
  for (const auto& [slug, value] : history.tombstones)
    if (!indexed.count(slug) && !history.live.count(slug)) db.set_metadata(tombstone_key(slug), value);
  for (const auto& [slug, previous] : history.live)
    if (!indexed.count(slug)) db.set_metadata(tombstone_key(slug), previous.tombstone);
  for (const auto& [key, value] : history.publications) db.set_metadata(key, value);
  db.set_metadata(std::string(schema::kMetaPublishes), "1");
}

}  // namespace records

Result<std::vector<Record>> read_all_records(const std::filesystem::path& index_dir) {
  search::IndexHandle index;
  if (Status s = index.open(index_dir); !s.is_ok()) return s;
  try {
    return records::read_live(index.db());
  } catch (const Xapian::Error& e) {
    return Status::io("cannot read the index at " + index_dir.string() + ": " + e.get_description());
  }
}

}  // namespace bp
