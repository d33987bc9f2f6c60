// English words as their Italian cognates, by spelling rules: fuzzy
// translation by transformation rules, a known technique of cross-language
// retrieval between related languages. Most of the sector's English
// vocabulary is Latin and maps onto Italian regularly: "regeneration" ->
// "rigenerazione" (-tion -> -zione, re- -> ri-), "community" -> "comunità"
// (-ty -> -tà, a double consonant made single), "energy" -> "energia"
// (-y -> -ia), "cooperatives" -> "cooperativa" (the plural's -s dropped,
// -ive -> -iva), "service" -> "servizio" (-ice -> -izio), "photovoltaic"
// -> "fotovoltaico" (ph -> f, -ic -> -ico).
//
// Pure spelling: whether a candidate is a word (search_query.h keeps the
// ones the library uses) is not decided here. No rule for adverbs in -ly:
// "actually" is not "attualmente", "eventually" not "eventualmente"; none
// for a few false friends ("factory" is not "fattoria", "lecture" not
// "lettura", "sensible" not "sensibile", "parents" not "parenti").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bp::search {

// The Italian spellings an English word may have, lower-case ("comunità":
// fold them for the index's terms), the likeliest first (fewest optional rules applied), each once, at most
// kMaxCognateCandidates. Empty for a word under kMinCognateLength letters,
// with anything but the letters a-z, or that no rule applies to: an English
// word ends in a suffix the rules know or in a consonant, so an Italian
// word, or a misspelling of one, that ends in a vowel gets none from the
// endings alone ("servizo", "comunita").
std::vector<std::string> italian_cognates(std::string_view english_word);

// True for an English false friend, or a form of one ("factories",
// "lectures", "parents", "eventually"): the Italian word it looks like
// means something else, so it is neither translated by the rules nor
// corrected into that word ("lecture" is not "letture").
bool is_english_false_friend(std::string_view english_word);

inline constexpr std::size_t kMinCognateLength = 5;
inline constexpr std::size_t kMaxCognateCandidates = 48;

}  // namespace bp::search
