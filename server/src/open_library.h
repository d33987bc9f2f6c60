// The open-library module (OAI-PMH, sitemap, robots.txt, Atom feeds, open
// data): its route table and the per-revision cache of the open-data files.
// Internal to bp_server.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace bp::server {

// The open-data files of one index revision, built on first request.
struct OpenDataFiles {
  std::string revision;
  std::string json;
  std::string csv;
  std::string etag;            // from the revision
  std::int64_t modified = 0;   // latest record datestamp, seconds since the epoch
  std::string modified_stamp;  // the same as a datestamp
  std::size_t practices = 0;
  std::set<std::string> licences;  // of the practices, each once
};

struct OpenDataCache {
  // Held while building: one thread builds a revision's files, the others
  // wait for them instead of building them too.
  std::mutex build;
  std::mutex mutex;  // guards `files`
  std::shared_ptr<const OpenDataFiles> files;
};

}  // namespace bp::server
