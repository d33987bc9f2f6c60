#include "bp/site/pages.h"

#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace bp::site {
namespace {

namespace mustache = kainjow::mustache;

// JSON view -> Mustache data: objects and arrays as they are, numbers as
// their decimal text, null and the empty string as false (so {{#field}}
// skips them, as the Mustache spec's falsey values: kainjow's renders a
// section for any string; an empty one renders as "" either way).
mustache::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data d{mustache::data::type::object};
      for (const auto& [key, value] : j.items()) d.set(key, to_data(value));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mustache::data d{mustache::data::type::list};
      for (const auto& value : j) d.push_back(to_data(value));
      return d;
    }
    case nlohmann::json::value_t::string:
      if (j.get_ref<const std::string&>().empty()) return mustache::data{false};
      return mustache::data{j.get_ref<const std::string&>()};
    case nlohmann::json::value_t::boolean:
      return mustache::data{j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return mustache::data{j.dump()};
    default:
      return mustache::data{false};
  }
}

std::optional<std::string> read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Status read_folder(const std::filesystem::path& folder, std::map<std::string, std::string>* out) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    auto source = read_whole(entry.path());
    if (!source) return Status::io("cannot read template " + entry.path().string());
    mustache::mustache check{*source};
    if (!check.is_valid())
      return Status::invalid(entry.path().string() + ": " + check.error_message());
    (*out)[entry.path().stem().string()] = std::move(*source);
  }
  if (ec) return Status::io("cannot read the templates folder " + folder.string() + ": " + ec.message());
  return Status::ok();
}

struct NavEntry {
  const char* section;
  const char* href;
  const char* label;
};

constexpr NavEntry kNav[] = {
    {"cerca", "/", "Cerca le pratiche"},
    {"docenti", "/docenti", "Per i docenti"},
    {"programma", "/programma", "Programma e iscrizioni"},
    {"proponi", "/proponi", "Proponi una pratica"},
};

}  // namespace

Result<Pages> Pages::load(const std::filesystem::path& folder) {
  Pages pages;
  if (Status s = read_folder(folder, &pages.templates_); !s.is_ok()) return s;
  if (std::filesystem::is_directory(folder / "partials"))
    if (Status s = read_folder(folder / "partials", &pages.partials_); !s.is_ok()) return s;
  if (!pages.has("layout")) return Status::invalid("no layout.mustache in " + folder.string());
  return pages;
}

bool Pages::has(const std::string& name) const { return templates_.count(name) > 0; }

Result<std::string> Pages::render_fragment(const std::string& name, const nlohmann::json& view) const {
  auto found = templates_.find(name);
  if (found == templates_.end()) return Status::invalid("no template " + name);
  mustache::data data = to_data(view.is_object() ? view : nlohmann::json::object());
  for (const auto& [partial, source] : partials_) {
    const std::string* text = &source;
    data.set(partial, mustache::partial{[text] { return *text; }});
  }
  // Templates are parsed per call: a parsed kainjow template is not safe to
  // render from several threads, and parsing a page costs microseconds.
  mustache::mustache tmpl{found->second};
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return Status::invalid("template " + name + ": " + tmpl.error_message());
  return out;
}

Result<std::string> Pages::render(const std::string& name, const nlohmann::json& view,
                                  const Shell& shell) const {
  auto content = render_fragment(name, view);
  if (!content.ok()) return content.status();
  nlohmann::json nav = nlohmann::json::array();
  for (const auto& entry : kNav)
    nav.push_back({{"href", entry.href}, {"label", entry.label}, {"current", shell.section == entry.section}});
  nlohmann::json layout = {
      {"title", shell.title_is_full || shell.title.empty() ? shell.title
                                                           : shell.title + " – Buone Pratiche"},
      {"description", shell.description},
      {"nav", std::move(nav)},
      {"styles", shell.styles},
      {"scripts", shell.scripts},
      {"body_class", shell.body_class},
      {"noindex", shell.noindex},
      {"feed", shell.feed},
      {"head", shell.head.is_object() ? shell.head : nlohmann::json(nullptr)},
  };
  if (layout["title"].get<std::string>().empty())
    layout["title"] = "Buone Pratiche – Reti solidali e competenti";
  mustache::data data = to_data(layout);
  data.set("content", mustache::data{*content});
  for (const auto& [partial, source] : partials_) {
    const std::string* text = &source;
    data.set(partial, mustache::partial{[text] { return *text; }});
  }
  mustache::mustache tmpl{templates_.at("layout")};
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return Status::invalid("template layout: " + tmpl.error_message());
  return out;
}

}  // namespace bp::site
