// Unicode text helpers shared by the indexer, the searcher and the checks.
// Everything takes and returns UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace bp::text {

// Accent folding for matching: NFC, combining marks removed (città -> citta,
// perché -> perche), typographic apostrophes (’ ‘ ʼ ´ `) made straight, and
// Italian elisions split off: an apostrophe between two letters becomes a
// space (dell'ambiente -> dell ambiente, l’agricoltura -> l agricoltura).
// Case is kept. Invalid UTF-8 sequences become U+FFFD. Same length or shorter.
std::string fold(std::string_view utf8);

// fold() then full Unicode lower-casing.
std::string fold_lower(std::string_view utf8);

namespace detail {
// fold() and fold_lower() computed with ICU for any input. fold() takes a
// table for the code points of Latin scripts and punctuation and gives the
// same result; these are what it falls back to, and what tests compare it
// with.
std::string fold_reference(std::string_view utf8);
std::string fold_lower_reference(std::string_view utf8);
}  // namespace detail

// Whole-string UTF-8 validity (no overlongs, no surrogates). On failure,
// `*bad_offset` (if given) receives the byte offset of the first bad byte.
bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset = nullptr);

// Full Unicode lower-casing only (accents kept): "Città" -> "città".
std::string lower(std::string_view utf8);

// `utf8` with its first letter in capitals ("è già iscritta" -> "È già
// iscritta"); the rest as it is. The modules write their messages in small
// letters, as they read after a field's name ("Cognome: …"); shown on
// their own they are sentences.
std::string capitalised(std::string_view utf8);

// capitalised(), ending with a full stop unless it ends with ".", "?", "!"
// or ")" already: a reason shown as a paragraph ("Edizione sconosciuta.").
std::string sentence(std::string_view utf8);

// For every word of `utf8` whose folded form differs from its lower-case
// form ("città" -> "citta"), records folded -> lower-case original in `out`
// (the first form seen wins). Lets a searcher show "città" for the term
// "citta" it matched or completed. Words are runs of letters.
void collect_display_forms(std::string_view utf8,
                           std::unordered_map<std::string, std::string>* out);

// Number of code points in valid UTF-8 (continuation bytes not counted).
std::size_t code_points(std::string_view utf8);
// True when valid UTF-8 `utf8` has a letter or a digit (Unicode): a query
// of emoji or punctuation alone has no word to search.
bool has_word_character(std::string_view utf8);

// `s` without the spaces, tabs and line ends at either end.
std::string trim(std::string_view s);

// "1 scheda", "3 schede", "1.200 schede": `n` (italian_thousands()) followed
// by the singular or plural noun. A negative count (a difference that went
// below zero) is written as 0.
std::string count_noun(std::int64_t n, std::string_view singular, std::string_view plural);

// Decodes %XX escapes (as in URLs); a '%' not followed by two hex digits is
// kept as it is.
std::string percent_decode(std::string_view s);

// A value of a query string, application/x-www-form-urlencoded as the
// browsers' URLSearchParams writes it: letters, digits and "*-._" as they
// are, a space as "+", every other byte as %XX ("orti e GAS" ->
// "orti+e+GAS", "città" -> "citt%C3%A0").
std::string form_encode(std::string_view s);

// Whether the host of the URL `url` ("http://localhost:8080",
// "https://127.0.0.1", "http://[::1]:9000", or no host) is this machine: a
// trial of the site, not a public one.
bool is_local_url(std::string_view url);

// Edit distance counted in code points: insertions, deletions,
// substitutions, and two neighbouring letters swapped, each one edit
// ("reapir" -> "repair" is 1; optimal string alignment).
int edit_distance(std::string_view a, std::string_view b);

// The words of `sorted` (ascending) other than `word` within `max_edits`
// (edit_distance) of it and with its first code point, fewest edits first,
// then in `sorted`'s order. A slice of the list: the typed first letter is
// kept (a typo there is rare). Empty for `max_edits` <= 0.
std::vector<std::string> close_words(const std::vector<std::string>& sorted, const std::string& word, int max_edits);

// Italian stopwords (Snowball's list plus the elided forms: dell, nell, l,
// un, ...), folded and lower-case.
const std::unordered_set<std::string>& italian_stopwords();

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view s);
// The same, appended to `*out` (no string per call: snippets).
void append_html_escaped(std::string* out, std::string_view s);

// True for a slug: ^[a-z0-9]+(-[a-z0-9]+)*$
bool is_slug(std::string_view s);

// Lower-case ASCII slug made from any text ("Valle d'Aosta" -> "valle-d-aosta").
std::string slugify(std::string_view utf8);

}  // namespace bp::text
