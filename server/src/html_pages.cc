// Views of the search module's pages; markup in web/templates/.
#include "html_pages.h"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "bp/italian_date.h"
#include "bp/text.h"
#include "json_view.h"
#include "practice_sections.h"

namespace bp::server {
namespace {

nlohmann::json tags(const Taxonomy& taxonomy, const std::string& vocabulary,
                    const std::vector<std::string>& slugs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& slug : slugs) out.push_back(taxonomy.label(vocabulary, slug));
  return out;
}

// One row of the metadata panel; rows without a value are left out.
void meta_row(nlohmann::json& rows, const char* key, const char* name, nlohmann::json row) {
  const bool empty = (row.contains("text") && row["text"].get<std::string>().empty()) ||
                     (row.contains("tags") && row["tags"].empty()) ||
                     (row.contains("sdgs") && row["sdgs"].empty());
  if (empty) return;
  row["key"] = key;
  row["name"] = name;
  for (const char* field : {"text", "tags", "sdgs"})
    if (!row.contains(field)) row[field] = false;
  rows.push_back(std::move(row));
}

}  // namespace

std::string truncate_utf8(const std::string& s, std::size_t limit, const std::string& ellipsis) {
  if (s.size() <= limit) return s;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + ellipsis;
}

site::Shell practice_shell(const PracticePage& page, const std::string& base_url) {
  const PracticeSummary& p = page.practice;
  const std::string url = base_url + practice_url(p.slug);
  const std::string description = truncate_utf8(p.summary, 300);
  site::Shell shell;
  shell.title = p.title;
  shell.description = description;
  shell.styles = {"/css/practice.css", "/css/sdg-colori.css"};
  shell.scripts = {"/js/practice.js"};
  shell.body_class = "page-practice";
  shell.head = {{"canonical", url},
                {"og", {{"type", "article"}, {"title", p.title}, {"description", description}, {"url", url}}}};
  // The cover as the engine resolved it (metadata.cover.url, under /media/).
  const nlohmann::json metadata = nlohmann::json::parse(page.json, nullptr, false);
  if (metadata.is_object() && metadata.contains("cover") && metadata["cover"].is_object()) {
    const std::string src = metadata["cover"].value("url", "");
    if (src.starts_with("/media/")) {
      shell.head["og"]["image"] = base_url + src;
      shell.head["og"]["image_alt"] = metadata["cover"].value("alt", "");
    }
  }
  return shell;
}

nlohmann::json practice_view(const PracticePage& page, const Taxonomy& taxonomy,
                             const std::string& base_url) {
  const PracticeSummary& p = page.practice;
  const std::string url = base_url + practice_url(p.slug);
  nlohmann::json meta = nlohmann::json::array();
  meta_row(meta, "hub", "Hub", {{"text", taxonomy.label("hub", p.hub)}});
  meta_row(meta, "region", "Regione", {{"text", taxonomy.label("region", p.region)}});
  meta_row(meta, "city", "Città", {{"text", p.city}});
  meta_row(meta, "themes", "Temi", {{"tags", tags(taxonomy, "theme", p.themes)}});
  meta_row(meta, "dimensions", "Dimensioni della sostenibilità",
           {{"tags", tags(taxonomy, "dimension", p.dimensions)}});
  nlohmann::json sdgs = nlohmann::json::array();
  const Vocabulary* sdg_terms = taxonomy.vocabulary("sdg");
  for (int n : p.sdgs) {
    const Term* term = sdg_terms ? sdg_terms->find(std::to_string(n)) : nullptr;
    sdgs.push_back({{"n", std::to_string(n)}, {"label", term && !term->label.empty() ? nlohmann::json(term->label) : nlohmann::json(false)}});
  }
  meta_row(meta, "sdgs", "Obiettivi di sviluppo sostenibile", {{"sdgs", std::move(sdgs)}});
  meta_row(meta, "organisation", "Organizzazione", {{"text", p.organisation}});
  meta_row(meta, "year", "Anno di avvio", {{"text", p.year > 0 ? std::to_string(p.year) : ""}});
  meta_row(meta, "audience", "Destinatari", {{"tags", tags(taxonomy, "audience", p.audience)}});
  meta_row(meta, "modules", "Moduli formativi", {{"tags", tags(taxonomy, "module", p.modules)}});
  const nlohmann::json metadata = nlohmann::json::parse(page.json, nullptr, false);
  nlohmann::json view = case_file_view(metadata.is_object() ? metadata : nlohmann::json::object(), taxonomy, url);
  meta_row(meta, "status", "Stato", {{"text", view["status"].is_string() ? view["status"].get<std::string>() : ""}});
  meta_row(meta, "date", "Ultimo aggiornamento della scheda",
           {{"text", view["reviewed"].is_string() ? view["reviewed"].get<std::string>() : ""}});

  nlohmann::json related = nlohmann::json::array();
  for (std::size_t i = 0; i < page.related.size(); ++i) {
    const PracticeSummary& r = page.related[i];
    related.push_back({{"url", practice_url(r.slug)}, {"title", r.title},
                       {"place", taxonomy.label("region", r.region)},
                       {"chosen", i < page.related_chosen}});
  }
  const std::string citation = (p.organisation.empty() ? "" : p.organisation + ", ") + "«" + p.title +
                               "», Buone Pratiche – Reti solidali e competenti" +
                               (p.date.empty() ? "" : ", " + bp::italian_date(p.date)) + ". " + url;
  // A case file written in another language (`language: en`) marks its own
  // texts so, for screen readers and translators; the page stays Italian.
  const std::string language =
      metadata.is_object() && metadata.value("language", "").size() ? metadata.value("language", "") : "it";
  view.update({{"title", p.title},
               {"content_lang", language == "it" ? nlohmann::json(false) : nlohmann::json(language)},
               {"slug", p.slug},
               {"summary", p.summary},
               {"meta", std::move(meta)},
               {"body_html", page.body_html},
               {"citation", citation},
               {"url", url},
               {"has_related", !related.empty()},
               {"related", std::move(related)}});
  return view;
}

namespace {

// White text when it reaches WCAG AA contrast (4.5:1) on `hex` ("#rrggbb"),
// black otherwise: several official SDG colours are too light for white.
std::string text_colour_on(const std::string& hex) {
  if (hex.size() != 7) return "#fff";
  auto channel = [&](std::size_t at) {
    const double c = std::stoi(hex.substr(at, 2), nullptr, 16) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const double luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05) >= 4.5 ? "#fff" : "#000";
}

}  // namespace

std::string render_sdg_stylesheet(const Taxonomy& taxonomy) {
  std::string css = "/* Generated from taxonomy.yaml: official SDG colours. */\n";
  const Vocabulary* sdgs = taxonomy.vocabulary("sdg");
  if (!sdgs) return css;
  for (const auto& term : sdgs->terms) {
    // Only "#rrggbb"-like values and numeric slugs reach the stylesheet.
    const bool colour_ok = term.color.size() >= 4 && term.color.size() <= 9 &&
                           term.color.front() == '#' &&
                           term.color.find_first_not_of("#0123456789abcdefABCDEF") == std::string::npos;
    const bool slug_ok = !term.slug.empty() &&
                         term.slug.find_first_not_of("0123456789") == std::string::npos;
    if (colour_ok && slug_ok)
      css += ".badge-sdg.sdg-" + term.slug + " { background-color: " + term.color +
             "; color: " + text_colour_on(term.color) + "; }\n";
  }
  return css;
}

std::string render_error_page(const site::Pages& pages, int status, const std::string& explanation) {
  std::string title, text;
  switch (status) {
    case 404:
      title = "Pagina non trovata";
      text = "La pagina che cerchi non esiste o è stata spostata.";
      break;
    case 400:
      title = "Richiesta non valida";
      text = "La richiesta contiene parametri non validi.";
      break;
    case 405:
      title = "Metodo non consentito";
      text = "Questa pagina non accetta questo tipo di richiesta.";
      break;
    case 413:
      title = "Richiesta troppo grande";
      text = "I dati inviati superano la dimensione consentita.";
      break;
    case 431:
      title = "Intestazioni troppo grandi";
      text = "La richiesta contiene troppe intestazioni o intestazioni troppo lunghe.";
      break;
    case 414:
      title = "Indirizzo troppo lungo";
      text = "L'indirizzo richiesto è troppo lungo.";
      break;
    case 503:
      title = "Servizio temporaneamente non disponibile";
      text = "La biblioteca è in aggiornamento: riprova tra qualche istante.";
      break;
    default:
      title = status >= 500 ? "Errore del server" : "Richiesta non valida";
      text = status >= 500 ? "Si è verificato un errore. Riprova più tardi."
                           : "Non è stato possibile soddisfare la richiesta.";
  }
  if (!explanation.empty()) text = explanation;
  site::Shell shell;
  shell.title = title;
  shell.noindex = true;
  shell.styles = {"/css/practice.css"};
  auto html = pages.render("error", {{"title", title}, {"text", text}}, shell);
  if (html.ok()) return std::move(*html);
  return "<!doctype html><html lang=\"it\"><meta charset=\"utf-8\"><title>" + title + "</title><h1>" + title +
         "</h1><p>" + text + "</p><p><a href=\"/\">Vai alla ricerca delle buone pratiche</a></p></html>\n";
}

}  // namespace bp::server
