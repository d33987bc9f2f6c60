// Reading and checking editors' case files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/practice.h"
#include "bp/taxonomy.h"

namespace bp {

// Files larger than this are refused (documented in docs/content-guide.md).
inline constexpr std::size_t kMaxCaseFileBytes = 1024 * 1024;

// What check and build say of a folder of practices they cannot read.
inline constexpr const char* kUnreadableFolder =
    "cartella non leggibile (permessi?): le sue schede non sono né controllate né indicizzate";

struct LoadedPractice {
  std::optional<Practice> practice;  // set when the file has no error
  Diagnostics diagnostics;           // errors and warnings, with lines
};

// Parses and validates one case file against the taxonomy. `content_root` is
// the library folder (holding taxonomy.yaml and practices/); diagnostics name
// the file relative to the current directory as the editor would type it.
// Library-wide checks (duplicate slugs, `related` targets) are not done here.
LoadedPractice load_practice(const std::filesystem::path& file,
                             const std::filesystem::path& content_root,
                             const Taxonomy& taxonomy);

// Same for case-file bytes already in memory; `file` gives the slug, names the
// file in diagnostics and anchors relative links (it need not exist).
LoadedPractice parse_practice(std::string_view bytes, const std::filesystem::path& file,
                              const std::filesystem::path& content_root,
                              const Taxonomy& taxonomy);

// Every practice slug of the library, for the check that spans files: a
// `related` slug or a body link to /pratiche/<slug> naming no practice of the
// library is an error ("la pratica '…' non esiste nella biblioteca", with the
// closest slug as a hint), so the file is not published. `bp-index check`
// (check_library) and `bp-index build` (the overload of load_practice below)
// both go through it, so they agree. Thread-safe.
class LibrarySlugs {
 public:
  explicit LibrarySlugs(std::vector<std::string> slugs);
  ~LibrarySlugs();
  LibrarySlugs(const LibrarySlugs&) = delete;
  LibrarySlugs& operator=(const LibrarySlugs&) = delete;

  bool contains(const std::string& slug) const;
  // The nearest slug within a few edits, or "" (cached; past 100 distinct
  // misses no more are computed, so a library of broken links stays linear).
  std::string closest(const std::string& slug) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// load_practice plus the references check against `library`.
LoadedPractice load_practice(const std::filesystem::path& file,
                             const std::filesystem::path& content_root,
                             const Taxonomy& taxonomy, const LibrarySlugs& library);

// Same for case-file bytes already read from `file` (the builder reads and
// hashes each file once). Bytes over kMaxCaseFileBytes are not parsed: the
// file is loaded as load_practice() above does, which reports it.
LoadedPractice parse_practice(std::string_view bytes, const std::filesystem::path& file,
                              const std::filesystem::path& content_root,
                              const Taxonomy& taxonomy, const LibrarySlugs& library);

// A case file found by list_case_files(), with what stat() said of it.
struct CaseFile {
  std::string path;            // the folder walked as given, then '/'-joined names
  std::size_t name_at = 0;     // where the file name starts in `path`
  std::int64_t mtime_ns = 0;   // modification time, nanoseconds since the epoch
  std::int64_t size = 0;       // bytes
  // The file name without ".md".
  std::string_view slug() const { return std::string_view(path).substr(name_at, path.size() - name_at - 3); }
};

// Every case file (*.md, a regular file or a link to one) under the folder
// `dir`, in the order of path::operator<, each stat()ed (links followed)
// relative to its folder's descriptor. Media folders (a folder named like a
// case file beside it) and unreadable folders are skipped; links to folders
// are not followed. Empty when `dir` cannot be opened. `unreadable`, when
// given, receives each folder under `dir` that could not be read (its
// path): its case files are missing from the answer, and a build must not
// take them for removed.
std::vector<CaseFile> list_case_files(const std::filesystem::path& dir, std::vector<std::string>* unreadable = nullptr);

// Every *.md file under `content_root`/practices (sorted), or under each of
// `paths` when given (files are taken as they are, folders are walked).
// Media folders (a folder named like a case file beside it) are skipped;
// unreadable folders too, added to `unreadable` when given.
std::vector<std::filesystem::path> find_case_files(const std::filesystem::path& content_root,
                                                   const std::vector<std::filesystem::path>& paths = {},
                                                   std::vector<std::string>* unreadable = nullptr);

struct LibraryCheck {
  std::vector<Practice> practices;  // the valid ones
  Diagnostics diagnostics;          // all problems, in file order
  std::size_t files = 0;            // files looked at
  std::vector<TermUse> terms;       // vocabulary values of the files looked at, valid or not
};

// Called after each file with (files done, files in all); calls are
// serialised but may come from worker threads.
using CheckProgress = std::function<void(std::size_t done, std::size_t total)>;

// Loads and checks `paths` (default: the whole library), adding the
// library-wide checks: duplicate slugs, and `related` slugs and body links to
// /pratiche/<slug> that must exist somewhere in the library (even when only
// some files are checked), and a warning on a tag spelled otherwise than the
// same tag in most of the checked files ("poverta-educativa" where the others
// write "povertà educativa"). Files are read in parallel; the taxonomy is not
// re-read. Each file's diagnostics are sorted by line.
LibraryCheck check_library(const std::filesystem::path& content_root,
                           const Taxonomy& taxonomy,
                           const std::vector<std::filesystem::path>& paths = {},
                           const CheckProgress& progress = {});

}  // namespace bp
