// The page shell: every HTML page of the site is a Mustache template in one
// folder (web/templates/), rendered inside one layout (head, header with the
// current section marked, footer, skip link) with shared partials. Mustache
// escapes every {{value}}; only {{{content}}} in the layout (our own rendered
// page) and HTML the engine already made safe (a practice's body, snippets
// with <mark>) use triple braces.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/status.h"

namespace bp::site {

// What the layout needs besides the page's own view.
struct Shell {
  std::string title;        // the <title>, " – Buone Pratiche" is added unless `title_is_full`
  bool title_is_full = false;
  std::string description;  // <meta name="description">; omitted when empty
  // The navigation entry marked current: "cerca", "docenti", "programma",
  // "proponi",
  // or "" for none.
  std::string section;
  std::vector<std::string> styles;   // stylesheets after /css/base.css
  std::vector<std::string> scripts;  // module scripts
  std::string body_class;            // class of <body>
  bool noindex = false;              // robots noindex, nofollow + no-referrer
  // The Atom feed announced by <link rel="alternate">: every page
  // announces the library's feed; the search page its filtered one.
  std::string feed = "/feed.xml";
  // Extra <head> data for the layout's head partial (canonical URL, Open
  // Graph): an object, may be null.
  nlohmann::json head;
};

class Pages {
 public:
  // Reads every *.mustache in `folder` and `folder`/partials. Io when the
  // folder cannot be read; Invalid (naming the file) when a template does
  // not parse. `folder` must hold layout.mustache.
  static Result<Pages> load(const std::filesystem::path& folder);

  // Renders template `name` (without extension) with `view`, then the layout
  // around it. Invalid when there is no such template (a programming error:
  // handlers name fixed templates) or rendering fails.
  Result<std::string> render(const std::string& name, const nlohmann::json& view,
                             const Shell& shell) const;

  // Renders template `name` alone, without the layout (fragments, tests).
  Result<std::string> render_fragment(const std::string& name, const nlohmann::json& view) const;

  // True when template `name` exists.
  bool has(const std::string& name) const;

 private:
  std::map<std::string, std::string> templates_;  // name -> source
  std::map<std::string, std::string> partials_;   // name -> source
};

}  // namespace bp::site
