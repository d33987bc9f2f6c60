#include "search_cognates.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace bp::search {

namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// An English ending and its Italian ones, longest English ending first
// within each family (the first that matches is used).
struct SuffixRule {
  const char* english;
  std::vector<const char*> italian;
};

const std::vector<SuffixRule>& suffix_rules() {
  static const std::vector<SuffixRule> kRules = {
      {"ization", {"izzazione"}},
      {"isation", {"izzazione"}},
      {"ction", {"zione"}},
      {"ssion", {"ssione"}},
      {"tion", {"zione"}},
      {"sion", {"sione"}},
      {"tience", {"zienza"}},
      {"tient", {"ziente"}},
      {"tial", {"ziale"}},
      {"ility", {"ilità"}},
      {"ity", {"ità"}},
      {"ty", {"tà"}},
      // Adverbs: "actually" is not "attualmente", "eventually" not "eventuale".
      {"ly", {}},
      {"logy", {"logia"}},
      {"graphy", {"grafia"}},
      {"cy", {"zia"}},
      {"ary", {"ario", "aria"}},
      {"ory", {"orio", "oria"}},
      {"ery", {"eria"}},
      {"y", {"ia"}},
      {"ive", {"ivo", "iva"}},
      {"ical", {"ico", "ica"}},
      {"ics", {"ica"}},
      {"ic", {"ico", "ica"}},
      {"al", {"ale"}},
      {"ism", {"ismo"}},
      {"ist", {"ista"}},
      {"ment", {"mento"}},
      {"ence", {"enza"}},
      {"ance", {"anza"}},
      {"ent", {"ente"}},
      {"ant", {"ante"}},
      {"ous", {"oso", "osa"}},
      {"ure", {"ura"}},
      {"ate", {"ato", "ata", "are"}},
      {"ize", {"izzare"}},
      {"ise", {"izzare"}},
      {"ble", {"bile"}},
      {"ice", {"izio", "izia"}},
      {"age", {"aggio"}},
      {"ine", {"ina"}},
      {"tre", {"tro"}},
      {"or", {"ore"}},
  };
  return kRules;
}

// English words whose cognate by the rules is another word (false
// friends): "factory" is no "fattoria" (a farm), "lecture" no "lettura" (a
// reading), "sensible" no "sensibile" (sensitive). Their uninflected forms.
bool is_false_friend(const std::string& base) {
  static const std::unordered_set<std::string> kWords = {
      "factory", "lecture", "sensible", "parent", "library", "firm", "editor", "patent", "rumor",
      "rumour", "preservative", "pretend", "attend", "confront", "convenient", "morbid", "delusion",
      "disgrace", "ingenuity", "casual", "accident", "eventual", "actual", "educate", "argument",
      "camera", "stamp", "terrific", "fabric", "magazine", "novel", "sympathetic", "annoy"};
  return kWords.count(base) != 0;
}

// The English word's uninflected forms, the word itself first, each with
// whether it came from a verb's -ing or -ed ("recycling", "confiscated").
std::vector<std::pair<std::string, bool>> english_bases(const std::string& w) {
  std::vector<std::pair<std::string, bool>> out = {{w, false}};
  auto add = [&out](std::string s, bool verb) {
    if (s.size() < 3) return;
    for (const auto& b : out)
      if (b.first == s) return;
    out.emplace_back(std::move(s), verb);
  };
  const std::size_t n = w.size();
  if (ends_with(w, "ies")) {
    add(w.substr(0, n - 3) + "y", false);
  } else if (ends_with(w, "sses") || ends_with(w, "xes") || ends_with(w, "ches") || ends_with(w, "shes")) {
    add(w.substr(0, n - 2), false);
  } else if (ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us") && !ends_with(w, "is")) {
    add(w.substr(0, n - 1), false);
  } else if (ends_with(w, "ed")) {
    add(w.substr(0, n - 1), true);  // "confiscated" -> "confiscate"
    add(w.substr(0, n - 2), true);  // "transformed" -> "transform"
  } else if (ends_with(w, "ly")) {
    // An adverb's adjective: "socially" -> "social", "easily" -> "easy".
    add(ends_with(w, "ily") ? w.substr(0, n - 3) + "y" : w.substr(0, n - 2), false);
  } else if (ends_with(w, "ing")) {
    add(w.substr(0, n - 3) + "e", true);  // "cooperating" -> "cooperate"
    add(w.substr(0, n - 3), true);        // "transforming" -> "transform"
  }
  return out;
}

// The rules of English spelling that Italian writes otherwise, on the
// part of the word before its ending: ph -> f, th -> t, ck -> cc, k -> c,
// w -> v, y -> i, ct and pt -> tt, ou -> u, x -> s, ch -> c (but before e
// and i, where Italian writes ch too), j -> g or gi, bj -> gg, dv -> vv,
// bs -> ss, ns before a consonant -> s ("transport" -> "trasporto").
std::string italian_spelling(const std::string& root) {
  std::string out;
  const std::size_t n = root.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = root[i];
    const char next = i + 1 < n ? root[i + 1] : '\0';
    const char after = i + 2 < n ? root[i + 2] : '\0';
    if (c == 'p' && next == 'h') { out += 'f'; ++i; }
    else if (c == 't' && next == 'h') { out += 't'; ++i; }
    else if (c == 'c' && next == 'k') { out += "cc"; ++i; }
    else if (c == 'c' && next == 'h') {
      out += (after == 'e' || after == 'i') ? "ch" : "c";
      ++i;
    }
    else if ((c == 'c' || c == 'p') && next == 't') { out += "tt"; ++i; }
    else if (c == 'b' && next == 'j') { out += "gg"; ++i; }
    else if (c == 'd' && next == 'v') { out += "vv"; ++i; }
    else if (c == 'b' && next == 's') { out += "ss"; ++i; }
    else if (c == 'n' && next == 's' && after != '\0' && !is_vowel(after)) { out += 's'; ++i; }
    else if (c == 'o' && next == 'u') { out += 'u'; ++i; }
    else if (c == 'j') out += (next == 'e' || next == 'i') ? "g" : "gi";
    else if (c == 'k') out += 'c';
    else if (c == 'w') out += 'v';
    else if (c == 'y') out += 'i';
    else if (c == 'x') out += 's';
    else out += c;
  }
  return out;
}

// The root with its double consonants made single ("comm" -> "com").
std::string single_consonants(const std::string& root) {
  std::string out;
  for (char c : root)
    if (out.empty() || c != out.back() || is_vowel(c)) out += c;
  return out;
}

}  // namespace

bool is_english_false_friend(std::string_view english_word) {
  for (const auto& base : english_bases(std::string(english_word)))
    if (is_false_friend(base.first)) return true;
  return false;
}

std::vector<std::string> italian_cognates(std::string_view english_word) {
  std::vector<std::string> out;
  if (english_word.size() < kMinCognateLength) return out;
  if (!std::all_of(english_word.begin(), english_word.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return out;
  if (is_english_false_friend(english_word)) return out;
  // (root, Italian ending) pairs, likeliest first.
  std::vector<std::pair<std::string, std::string>> forms;
  const auto bases = english_bases(std::string(english_word));
  for (const auto& [base, verb] : bases) {
    bool matched = false;
    for (const SuffixRule& rule : suffix_rules()) {
      const std::string_view suffix = rule.english;
      if (!ends_with(base, suffix) || base.size() < suffix.size() + 2) continue;
      for (const char* italian : rule.italian) forms.emplace_back(base.substr(0, base.size() - suffix.size()), italian);
      matched = true;
      break;
    }
    if (matched || base.empty()) continue;
    const char last = base.back();
    if (is_vowel(last) || last == 'y') continue;
    // An inflected form is not a root ("bikes", "transformed").
    if (ends_with(base, "s") || ends_with(base, "ed") || ends_with(base, "ing")) continue;
    // A consonant ends no Italian word: a noun or adjective's endings, or a
    // verb's infinitive ("transform" -> "trasformare").
    if (verb) {
      forms.emplace_back(base, "are");
    } else {
      for (const char* ending : {"o", "a", "e"}) forms.emplace_back(base, ending);
      forms.emplace_back(base, "are");
    }
  }
  auto add = [&out](std::string s) {
    if (out.size() < kMaxCognateCandidates && std::find(out.begin(), out.end(), s) == out.end())
      out.push_back(std::move(s));
  };
  // Optional rules, fewest first: double consonants made single
  // ("community" -> "comunità"), the prefix re- as ri- ("regeneration").
  for (int variant = 0; variant < 4; ++variant) {
    for (const auto& [root, ending] : forms) {
      std::string r = italian_spelling(root);
      if (variant & 1) {
        const std::string single = single_consonants(r);
        if (single == r) continue;
        r = single;
      }
      if (variant & 2) {
        if (r.size() < 4 || r.compare(0, 2, "re") != 0) continue;
        r[1] = 'i';
      }
      add(r + ending);
    }
  }
  return out;
}

}  // namespace bp::search
