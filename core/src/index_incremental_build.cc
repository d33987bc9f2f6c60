// The incremental build: compares the files with what the live database
// holds (path, stat stamp, content hash per document) and commits only the
// differences into it. Workers read and parse (run_pipeline); this thread is
// the only writer.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "index_pipeline.h"
#include "schema.h"

namespace bp::index_build {
namespace fs = std::filesystem;
namespace {

// The file name of `path` without its extension, as path::stem() gives it.
std::string_view stem_of(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

class Incremental {
 public:
  Incremental(Build& build, Xapian::WritableDatabase& db, std::vector<Indexed> indexed)
      : build_(build), db_(db), indexed_(std::move(indexed)) {}

  void run() {
    std::vector<Item> items = changed_items();
    remove_gone();
    BuildReport& report = build_.report;
    report.read = items.size();

    std::size_t pending = 0;
    std::vector<Diagnostics> per_item(items.size());
    run_pipeline(items, build_, [&](std::size_t i, Outcome& o) {
      const Item& item = items[i];
      per_item[i] = std::move(o.diagnostics);
      if (o.kind == Outcome::kIndexed &&
          !guard_file(item.file, &per_item[i], [&] { write(item, *o.made); })) {
        o.kind = Outcome::kSkipped;
      }
      switch (o.kind) {
        case Outcome::kSkipped:
          ++report.skipped;
          // Its document, if any, stays as it was: the version before.
          if (item.indexed != nullptr) {
            ++report.kept;
            per_item[i].push_back(kept_previous_version(item.file));
          }
          break;
        case Outcome::kTouched:
          // Same bytes. A stamp that was only marked racy is refreshed when
          // this build writes anyway, so that a build that changes nothing
          // writes nothing (replicas have nothing to fetch); a touched file
          // gets its new stamp now.
          if (item.indexed_racy()) {
            if (!item.racy) settle_.push_back(&item);
          } else {
            store_stat(item);
          }
          ++report.unchanged;
          break;
        case Outcome::kIndexed:
          ++(item.indexed != nullptr ? report.updated : report.added);
          report.bytes_indexed += o.bytes;
          if (++pending >= build_.options.commit_every) {
            flush_spelling();
            db_.commit();
            pending = 0;
          }
          break;
      }
      if (build_.options.progress) build_.options.progress(i + 1, items.size());
    });
    for (auto& d : per_item) report.diagnostics.insert(report.diagnostics.end(), d.begin(), d.end());
    flush_spelling();
    if (wrote_)
      for (const Item* item : settle_) store_stat(*item);
  }

 private:
  // Documents whose file is gone (after changed_items(), which marks the
  // others seen).
  void remove_gone() {
    std::string_view last;
    for (const Indexed& info : indexed_) {
      const std::string_view slug_view = info.slug();
      const bool duplicate = slug_view == last;  // a second document with this slug: kept as before
      last = slug_view;
      if (info.seen || duplicate) continue;
      const std::string slug(slug_view);
      const Xapian::Document gone = db_.get_document(info.docid);
      add_spelling_of(gone, -1);
      db_.set_metadata(records::tombstone_key(slug), records::tombstone_value(build_.now, gone));
      db_.delete_document(info.docid);
      wrote_ = true;
      ++build_.report.removed;
    }
  }

  // Files new to the index, or whose path or stat stamp changed, or whose
  // stamp was marked racy (Item::stored_stat).
  std::vector<Item> changed_items() {
    std::vector<Item> items;
    auto indexed = indexed_.begin();
    for (const auto& file : build_.files) {
      const std::string_view slug = file.found.slug();
      while (indexed != indexed_.end() && indexed->slug() < slug) ++indexed;
      Indexed* same = indexed != indexed_.end() && indexed->slug() == slug ? &*indexed : nullptr;
      if (same != nullptr) {
        same->seen = true;
        if (same->path == file.relative && !same->stat.empty() && same_stamp(same->stat, file.found)) {
          ++build_.report.unchanged;
          continue;
        }
        same->hash = db_.get_document(same->docid).get_value(schema::kSlotHash);
      }
      Item item = item_for(build_, file);
      item.indexed = same;
      items.push_back(std::move(item));
    }
    return items;
  }

  // Adds or replaces the document of `item`. Xapian checks the terms (a term
  // too long, say) before it changes anything, so a throw leaves the
  // database as it was.
  void write(const Item& item, MadeDocument& made) {
    std::vector<std::string> old_words;
    if (item.indexed != nullptr) old_words = spelling_words_of(db_.get_document(item.indexed->docid));
    made.document.add_value(schema::kSlotModified, build_.now);
    db_.replace_document(made.id_term, made.document);
    wrote_ = true;
    db_.set_metadata(records::tombstone_key(item.slug), "");
    for (const auto& w : old_words) spelling_delta_[w] -= 1;
    for (const auto& w : made.spelling_words) spelling_delta_[w] += 1;
    for (const auto& [folded, written] : made.display_forms) {
      if (words_written_.insert(folded).second)
        db_.set_metadata(std::string(schema::kMetaWordPrefix) + folded, written);
    }
  }

  // Replaces the stored stat stamp of the unchanged file `item`.
  void store_stat(const Item& item) {
    Xapian::Document doc = db_.get_document(item.indexed->docid);
    doc.add_value(schema::kSlotStat, item.stored_stat());
    db_.replace_document(item.indexed->docid, doc);
    wrote_ = true;
  }

  void add_spelling_of(const Xapian::Document& doc, int delta) {
    for (const auto& w : spelling_words_of(doc)) spelling_delta_[w] += delta;
  }

  void flush_spelling() {
    for (const auto& [word, delta] : spelling_delta_) {
      if (delta > 0) db_.add_spelling(word, static_cast<Xapian::termcount>(delta));
      if (delta < 0) db_.remove_spelling(word, static_cast<Xapian::termcount>(-delta));
    }
    spelling_delta_.clear();
  }

  Build& build_;
  Xapian::WritableDatabase& db_;
  std::vector<Indexed> indexed_;  // what the index has, sorted by slug (read_indexed)
  std::unordered_map<std::string, int> spelling_delta_;
  std::unordered_set<std::string> words_written_;  // display forms set in this run
  bool wrote_ = false;                  // this build changed the database
  std::vector<const Item*> settle_;     // unchanged, no longer racy: refreshed if wrote_
};

}  // namespace

std::vector<Indexed> read_indexed(const Xapian::Database& db) {
  std::vector<Indexed> indexed;
  indexed.reserve(db.get_doccount());
  for (auto it = db.valuestream_begin(schema::kSlotPath); it != db.valuestream_end(schema::kSlotPath); ++it) {
    if ((*it).empty()) continue;
    Indexed info;
    info.docid = it.get_docid();
    info.path = *it;
    const std::string_view slug = stem_of(info.path);
    info.slug_at = static_cast<std::uint32_t>(slug.data() - info.path.data());
    info.slug_size = static_cast<std::uint32_t>(slug.size());
    indexed.push_back(std::move(info));
  }
  auto next = indexed.begin();
  for (auto it = db.valuestream_begin(schema::kSlotStat);
       it != db.valuestream_end(schema::kSlotStat) && next != indexed.end(); ++it) {
    while (next != indexed.end() && next->docid < it.get_docid()) ++next;
    if (next != indexed.end() && next->docid == it.get_docid()) next->stat = *it;
  }
  // A full build numbers documents in slug order: usually sorted already.
  auto by_slug = [](const Indexed& a, const Indexed& b) {
    const int c = a.slug().compare(b.slug());
    return c < 0 || (c == 0 && a.docid < b.docid);
  };
  if (!std::is_sorted(indexed.begin(), indexed.end(), by_slug)) std::sort(indexed.begin(), indexed.end(), by_slug);
  return indexed;
}

void update_incremental(Build& build, Xapian::WritableDatabase& db, std::vector<Indexed> indexed) {
  Incremental(build, db, std::move(indexed)).run();
}

}  // namespace bp::index_build
