// Class names used by the templates below; styled by web/css/practice.css and
// web/css/print.css (owned by the front end):
//   .site-header  top bar with the site name and .site-nav links
//   .site-footer  bottom bar
//   .practice     the <article> of one practice
//     .summary    the lead paragraph
//     .cover      the cover <figure>
//     .meta       the metadata panel (<dl>); .meta-hub, .meta-region, ... rows
//     .tag        one theme/dimension/audience/module label
//     .badge-sdg  one SDG badge, with class sdg-N; the colours come from
//                 taxonomy.yaml through the generated /css/sdg-colori.css
//                 (render_sdg_stylesheet), text is the SDG number + label
//     .body       the rendered Markdown body
//     .citation   the citation line; .copy-link the "Copia link" button
//   .related      related practices list
//   .error-page   the 404 / error main block
//   .no-print     hidden by print.css (navigation, buttons)
#include "html_pages.h"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bp/text.h"
#include "json_view.h"

namespace bp::server {
namespace {

using text::html_escape;

const Term* find_term(const Taxonomy& taxonomy, const std::string& vocabulary,
                      const std::string& slug) {
  const Vocabulary* v = taxonomy.vocabulary(vocabulary);
  if (!v) return nullptr;
  for (const auto& term : v->terms)
    if (term.slug == slug) return &term;
  return nullptr;
}

std::string label_of(const Taxonomy& taxonomy, const std::string& vocabulary,
                     const std::string& slug) {
  const Term* term = find_term(taxonomy, vocabulary, slug);
  return term && !term->label.empty() ? term->label : slug;
}

// "2023-03-14" -> "14 marzo 2023"; other shapes are shown as they are.
std::string italian_date(const std::string& iso) {
  static const std::array<const char*, 12> kMonths = {
      "gennaio", "febbraio", "marzo",     "aprile",  "maggio",   "giugno",
      "luglio",  "agosto",   "settembre", "ottobre", "novembre", "dicembre"};
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return iso;
  return std::to_string(day) + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

// At most `limit` bytes, cut at a code-point boundary, with an ellipsis.
std::string truncate_utf8(const std::string& s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

void page_head(std::ostringstream& out, const std::string& title) {
  out << "<!doctype html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << html_escape(title) << "</title>\n"
      << "<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n";
}

void site_header(std::ostringstream& out) {
  out << "<a class=\"skip-link no-print\" href=\"#contenuto\">Vai al contenuto</a>\n"
      << "<header class=\"site-header no-print\">\n"
      << "<a class=\"site-name\" href=\"/\">Buone Pratiche · Reti solidali e competenti</a>\n"
      << "<nav class=\"site-nav\" aria-label=\"Navigazione principale\">"
      << "<a href=\"/\">Cerca</a> <a href=\"/docenti\">Per i docenti</a> "
      << "<a href=\"/programma\">Programma e iscrizioni</a></nav>\n</header>\n";
}

void site_footer(std::ostringstream& out) {
  out << "<footer class=\"site-footer\">Programma «Reti solidali e competenti» – "
      << "Ministero del Lavoro e delle Politiche Sociali</footer>\n";
}

void meta_row(std::ostringstream& out, const std::string& cls, const std::string& name,
              const std::string& value_html) {
  if (value_html.empty()) return;
  out << "<div class=\"meta-" << cls << "\"><dt>" << name << "</dt><dd>" << value_html
      << "</dd></div>\n";
}

std::string tags(const Taxonomy& taxonomy, const std::string& vocabulary,
                 const std::vector<std::string>& slugs) {
  std::string html;
  for (const auto& slug : slugs)
    html += "<span class=\"tag\">" + html_escape(label_of(taxonomy, vocabulary, slug)) + "</span> ";
  return html;
}

std::string sdg_badges(const Taxonomy& taxonomy, const std::vector<int>& sdgs) {
  std::string html;
  for (int n : sdgs) {
    const std::string slug = std::to_string(n);
    const Term* term = find_term(taxonomy, "sdg", slug);
    // The official colour comes from the class sdg-N in web/css/base.css: the
    // CSP (style-src 'self') refuses inline style attributes.
    std::string label = term ? term->label : "";
    html += "<span class=\"badge-sdg sdg-" + slug + "\" title=\"" + html_escape(label) + "\">SDG " +
            slug + (label.empty() ? "" : " · " + html_escape(label)) + "</span> ";
  }
  return html;
}

// The cover image, from the stored front matter: media live beside the case
// file in a folder named after the slug, served under /media/.
std::string cover_html(const PracticePage& page) {
  auto meta = nlohmann::json::parse(page.json, nullptr, false);
  if (!meta.is_object() || !meta.contains("cover") || !meta["cover"].is_object()) return "";
  const auto& cover = meta["cover"];
  std::string src = cover.value("src", "");
  std::string alt = cover.value("alt", "");
  std::string path = meta.value("path", "");
  if (src.empty() || src.find("..") != std::string::npos || src.find(':') != std::string::npos ||
      src.front() == '/' || path.rfind("practices/", 0) != 0 || path.size() < 13)
    return "";
  std::string folder = path.substr(10, path.size() - 10 - 3);  // strip "practices/" and ".md"
  return "<figure class=\"cover\"><img src=\"/media/" + html_escape(folder + "/" + src) +
         "\" alt=\"" + html_escape(alt) + "\"></figure>\n";
}

}  // namespace

std::string render_practice_page(const PracticePage& page, const Taxonomy& taxonomy,
                                 const std::string& base_url) {
  const PracticeSummary& p = page.practice;
  const std::string url = base_url + practice_url(p.slug);
  const std::string title = p.title + " – Buone Pratiche";
  const std::string description = truncate_utf8(p.summary, 300);

  std::ostringstream out;
  page_head(out, title);
  out << "<meta name=\"description\" content=\"" << html_escape(description) << "\">\n"
      << "<link rel=\"canonical\" href=\"" << html_escape(url) << "\">\n"
      << "<meta property=\"og:type\" content=\"article\">\n"
      << "<meta property=\"og:site_name\" content=\"Buone Pratiche – Reti solidali e competenti\">\n"
      << "<meta property=\"og:locale\" content=\"it_IT\">\n"
      << "<meta property=\"og:title\" content=\"" << html_escape(p.title) << "\">\n"
      << "<meta property=\"og:description\" content=\"" << html_escape(description) << "\">\n"
      << "<meta property=\"og:url\" content=\"" << html_escape(url) << "\">\n"
      << "<meta name=\"twitter:card\" content=\"summary\">\n"
      << "<link rel=\"stylesheet\" href=\"/css/practice.css\">\n"
      << "<link rel=\"stylesheet\" href=\"/css/sdg-colori.css\">\n"
      << "<link rel=\"stylesheet\" href=\"/css/print.css\" media=\"print\">\n"
      << "<script type=\"module\" src=\"/js/practice.js\"></script>\n"
      << "</head>\n<body>\n";
  site_header(out);
  out << "<main id=\"contenuto\">\n<article class=\"practice\">\n"
      << "<h1>" << html_escape(p.title) << "</h1>\n"
      << "<p class=\"summary\">" << html_escape(p.summary) << "</p>\n"
      << cover_html(page);

  out << "<dl class=\"meta\">\n";
  meta_row(out, "hub", "Polo", html_escape(label_of(taxonomy, "hub", p.hub)));
  meta_row(out, "region", "Regione", html_escape(label_of(taxonomy, "region", p.region)));
  meta_row(out, "city", "Città", html_escape(p.city));
  meta_row(out, "themes", "Temi", tags(taxonomy, "theme", p.themes));
  meta_row(out, "dimensions", "Dimensioni della sostenibilità",
           tags(taxonomy, "dimension", p.dimensions));
  meta_row(out, "sdgs", "Obiettivi di sviluppo sostenibile", sdg_badges(taxonomy, p.sdgs));
  meta_row(out, "organisation", "Organizzazione", html_escape(p.organisation));
  meta_row(out, "year", "Anno di avvio", p.year > 0 ? std::to_string(p.year) : "");
  meta_row(out, "audience", "Destinatari", tags(taxonomy, "audience", p.audience));
  meta_row(out, "modules", "Moduli formativi", tags(taxonomy, "module", p.modules));
  meta_row(out, "date", "Scheda del", html_escape(italian_date(p.date)));
  out << "</dl>\n";

  out << "<div class=\"body\">\n" << page.body_html << "\n</div>\n";

  std::string cite = (p.organisation.empty() ? "" : p.organisation + ", ") + "«" + p.title +
                     "», Buone Pratiche – Reti solidali e competenti" +
                     (p.date.empty() ? "" : ", " + italian_date(p.date)) + ". " + url;
  out << "<p class=\"citation\"><strong>Come citare:</strong> " << html_escape(cite) << "</p>\n"
      << "<p class=\"no-print\"><button type=\"button\" class=\"copy-link\" data-url=\""
      << html_escape(url) << "\">Copia link</button></p>\n"
      << "</article>\n";

  if (!page.related.empty()) {
    out << "<aside class=\"related\">\n<h2>Pratiche correlate</h2>\n<ul>\n";
    for (const auto& r : page.related)
      out << "<li><a href=\"" << html_escape(practice_url(r.slug)) << "\">"
          << html_escape(r.title) << "</a> <span class=\"related-place\">"
          << html_escape(label_of(taxonomy, "region", r.region)) << "</span></li>\n";
    out << "</ul>\n</aside>\n";
  }
  out << "<p class=\"no-print\"><a href=\"/\">← Torna alla ricerca</a></p>\n</main>\n";
  site_footer(out);
  out << "</body>\n</html>\n";
  return out.str();
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

std::string render_error_page(int status) {
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
  std::ostringstream out;
  page_head(out, title + " – Buone Pratiche");
  out << "<meta name=\"robots\" content=\"noindex\">\n"
      << "<link rel=\"stylesheet\" href=\"/css/practice.css\">\n</head>\n<body>\n";
  site_header(out);
  out << "<main id=\"contenuto\" class=\"error-page\">\n<h1>" << title << "</h1>\n<p>" << text
      << "</p>\n<p><a href=\"/\">Vai alla ricerca delle buone pratiche</a></p>\n</main>\n";
  site_footer(out);
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace bp::server
