#include "markdown.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Markdown, SplitsHeadingsFromText) {
  const RenderedMarkdown r = render_markdown(
      "# Titolo\n\n## Contesto\n\nPrima riga\nseconda *riga*.\n\n### Dettagli\n\n- voce `uno`\n- voce due\n",
      "practices");
  EXPECT_EQ(r.headings, (std::vector<std::string>{"Titolo", "Contesto", "Dettagli"}));
  EXPECT_EQ(r.section_headings, (std::vector<std::string>{"Contesto", "Dettagli"}));
  EXPECT_EQ(r.text, "Prima riga seconda riga.\nvoce uno\nvoce due");
  EXPECT_TRUE(contains(r.html, "<h2>Contesto</h2>"));
  EXPECT_TRUE(contains(r.html, "<em>riga</em>"));
}

TEST(Markdown, TextKeepsLinkTextAndImageAlt) {
  const RenderedMarkdown r =
      render_markdown("Vedi [il regolamento](https://example.org) e ![un orto](orto.jpg).", "");
  EXPECT_EQ(r.text, "Vedi il regolamento e un orto.");
}

TEST(Markdown, OmitsRawHtml) {
  const RenderedMarkdown r = render_markdown(
      "<script>alert('x')</script>\n\nTesto <img src=x onerror=\"alert(1)\"> e "
      "<a href=\"#\" onclick=\"rubare()\">qui</a>.\n\n<div onmouseover=\"x()\">blocco</div>\n",
      "");
  EXPECT_FALSE(contains(r.html, "<script"));
  EXPECT_FALSE(contains(r.html, "onerror"));
  EXPECT_FALSE(contains(r.html, "onclick"));
  EXPECT_FALSE(contains(r.html, "onmouseover"));
  EXPECT_FALSE(contains(r.html, "<div"));
  EXPECT_TRUE(contains(r.html, "raw HTML omitted"));
  EXPECT_FALSE(contains(r.text, "script"));
}

TEST(Markdown, EmptiesDangerousLinks) {
  const RenderedMarkdown r = render_markdown(
      "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](vbscript:msgbox) "
      "[d](data:text/html;base64,PHNjcmlwdD4=) [e](file:///etc/passwd)\n\n"
      "![f](javascript:alert(1))\n",
      "");
  EXPECT_FALSE(contains(r.html, "javascript:"));
  EXPECT_FALSE(contains(r.html, "JaVaScRiPt:"));
  EXPECT_FALSE(contains(r.html, "vbscript:"));
  EXPECT_FALSE(contains(r.html, "data:text"));
  EXPECT_FALSE(contains(r.html, "file:"));
  EXPECT_TRUE(contains(r.html, "<a href=\"\">a</a>"));
}

TEST(Markdown, EscapesAttributeInjectionInTitles) {
  const RenderedMarkdown r =
      render_markdown("[x](https://example.org \"t\\\" onmouseover=\\\"alert(1)\")", "");
  EXPECT_FALSE(contains(r.html, "\" onmouseover=\""));
  EXPECT_TRUE(contains(r.html, "&quot;"));
}

TEST(Markdown, RewritesRelativeMediaUrls) {
  const RenderedMarkdown r = render_markdown(
      "![foto](gas-torino/foto.jpg) [pdf](./gas-torino/../gas-torino/regolamento.pdf#p2) "
      "[sito](https://example.org/a.jpg) [pagina](/pratiche/altra) [sezione](#risultati) "
      "[mail](mailto:info@example.org)\n",
      "practices/nord");
  EXPECT_TRUE(contains(r.html, "src=\"/media/practices/nord/gas-torino/foto.jpg\""));
  EXPECT_TRUE(contains(r.html, "href=\"/media/practices/nord/gas-torino/regolamento.pdf#p2\""));
  EXPECT_TRUE(contains(r.html, "href=\"https://example.org/a.jpg\""));
  EXPECT_TRUE(contains(r.html, "href=\"/pratiche/altra\""));
  EXPECT_TRUE(contains(r.html, "href=\"#risultati\""));
  EXPECT_TRUE(contains(r.html, "href=\"mailto:info@example.org\""));
}

TEST(Markdown, RefusesRelativeUrlsOutsideTheLibrary) {
  EXPECT_EQ(rewrite_media_url("../../../etc/passwd", "practices/nord"), "");
  EXPECT_EQ(rewrite_media_url("../sud/x.jpg", "practices/nord"), "/media/practices/sud/x.jpg");
  EXPECT_EQ(rewrite_media_url("foto con spazi.jpg", "practices"), "/media/practices/foto con spazi.jpg");
  EXPECT_EQ(rewrite_media_url("//evil.example/x.js", "practices"), "//evil.example/x.js");
  EXPECT_EQ(rewrite_media_url("", "practices"), "");
  const RenderedMarkdown r = render_markdown("[x](../../../../etc/passwd)", "practices/nord");
  EXPECT_TRUE(contains(r.html, "<a href=\"\">x</a>"));
}

TEST(Markdown, SurvivesHostileInput) {
  const std::string bad = std::string("ciao \xff\xfe mondo ") + std::string(5000, '[') +
                          std::string(5000, '*') + "\0x" + std::string(3000, '>');
  const RenderedMarkdown r = render_markdown(bad, "practices");
  EXPECT_FALSE(r.html.empty());
  EXPECT_TRUE(render_markdown("", "").html.empty());
}

}  // namespace
}  // namespace bp
