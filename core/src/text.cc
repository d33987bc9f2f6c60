#include "bp/text.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <vector>

#include "bp/italian_number.h"

namespace bp::text {
namespace {

bool is_apostrophe(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == '`';
}

bool is_letter(UChar32 c) { return u_isalpha(c) != 0; }

// Decodes UTF-8 into code points, replacing invalid sequences with U+FFFD.
std::vector<UChar32> decode(std::string_view s) {
  std::vector<UChar32> out;
  out.reserve(s.size());
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? 0xFFFD : c);
  }
  return out;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(len));
}

// Removes combining marks after NFD; everything else is kept.
std::vector<UChar32> strip_marks(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString d = U_SUCCESS(status) ? nfd->normalize(u, status) : u;
  if (U_FAILURE(status)) d = u;
  std::vector<UChar32> out;
  out.reserve(static_cast<std::size_t>(d.length()));
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

namespace detail {

std::string fold_reference(std::string_view utf8) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                 [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  std::vector<UChar32> cps;
  if (ascii) {
    cps.assign(utf8.begin(), utf8.end());
  } else {
    std::string valid;
    // Normalise invalid input first so ICU sees well-formed UTF-8.
    for (UChar32 c : decode(utf8)) append_utf8(valid, c);
    cps = strip_marks(valid);
  }
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < cps.size(); ++i) {
    UChar32 c = cps[i];
    if (is_apostrophe(c)) {
      const bool between_letters =
          i > 0 && i + 1 < cps.size() && is_letter(cps[i - 1]) && is_letter(cps[i + 1]);
      out.push_back(between_letters ? ' ' : '\'');
      continue;
    }
    append_utf8(out, c);
  }
  if (!ascii) {
    // Recompose whatever survived (non-Latin scripts) so Xapian sees NFC.
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_SUCCESS(status)) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(out);
      if (!nfc->isNormalized(u, status) && U_SUCCESS(status)) {
        icu::UnicodeString n = nfc->normalize(u, status);
        if (U_SUCCESS(status)) {
          out.clear();
          n.toUTF8String(out);
        }
      }
    }
  }
  return out;
}

std::string fold_lower_reference(std::string_view utf8) {
  std::string folded = fold_reference(utf8);
  const bool ascii = std::all_of(folded.begin(), folded.end(),
                                 [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  if (ascii) {
    for (char& ch : folded)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return folded;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(folded);
  u.foldCase();
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace detail

namespace {

// fold() and fold_lower() without ICU for text made only of the code points
// Italian prose uses (ASCII, Latin-1, Latin Extended, spacing modifiers,
// general punctuation, currency signs): each of them folds on its own to one
// code point that composes with none of its neighbours, so folding the text
// is a table lookup per code point. The table is computed once with ICU,
// from the same steps as detail::fold_reference (NFD, combining marks
// removed, NFC, full case folding); anything else (combining marks, other
// scripts, invalid UTF-8) takes the ICU path. A test compares both paths
// over every code point of the table.
class FastFold {
 public:
  struct Entry {
    UChar32 folded = -1;  // -1: not covered, take the ICU path
    bool letter = false;  // u_isalpha(folded), for the elision rule
    std::string lower;    // fold_lower of the code point alone
  };

  static const FastFold& get() {
    static const FastFold table;
    return table;
  }

  const Entry* find(UChar32 c) const {
    if (c >= 0 && c < kLowEnd) return &low_[static_cast<std::size_t>(c)];
    if (c >= kHighBegin && c < kHighEnd) return &high_[static_cast<std::size_t>(c - kHighBegin)];
    return nullptr;
  }

 private:
  static constexpr UChar32 kLowEnd = 0x0370, kHighBegin = 0x2000, kHighEnd = 0x20D0;

  FastFold() : low_(kLowEnd), high_(kHighEnd - kHighBegin) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return;  // every entry stays "not covered"
    auto fill = [&](UChar32 c, Entry& e) {
      if (c >= 0xD800 && c <= 0xDFFF) return;
      if (u_charType(c) == U_NON_SPACING_MARK || u_getCombiningClass(c) != 0) return;
      UErrorCode st = U_ZERO_ERROR;
      const icu::UnicodeString d = nfd->normalize(icu::UnicodeString(c), st);
      if (U_FAILURE(st)) return;
      std::vector<UChar32> kept;
      for (int32_t i = 0; i < d.length();) {
        const UChar32 x = d.char32At(i);
        i += U16_LENGTH(x);
        if (u_charType(x) != U_NON_SPACING_MARK) kept.push_back(x);
      }
      if (kept.size() != 1) return;
      const UChar32 b = kept[0];
      if (u_getCombiningClass(b) != 0) return;
      if (!nfc->isNormalized(icu::UnicodeString(b), st) || U_FAILURE(st)) return;
      // Only code points that cannot combine with what follows them in
      // the table's ranges (no Hangul, no Indic vowel signs) get here.
      if (!(b < kLowEnd || (b >= kHighBegin && b < kHighEnd))) return;
      e.folded = b;
      e.letter = u_isalpha(b) != 0;
      icu::UnicodeString l(b);
      l.foldCase();
      l.toUTF8String(e.lower);
    };
    for (UChar32 c = 0; c < kLowEnd; ++c) fill(c, low_[static_cast<std::size_t>(c)]);
    for (UChar32 c = kHighBegin; c < kHighEnd; ++c) fill(c, high_[static_cast<std::size_t>(c - kHighBegin)]);
  }

  std::vector<Entry> low_, high_;
};

// fold() (or fold_lower() when `lower`) by the table, in one pass; false
// when the table does not cover `utf8` (or the UTF-8 is invalid). An
// apostrophe between two letters becomes a space (the elision rule of
// detail::fold_reference): the letter before it is remembered, the code
// point after it decoded ahead.
bool fast_fold(std::string_view utf8, bool lower, std::string& out) {
  const FastFold& table = FastFold::get();
  out.clear();
  out.reserve(utf8.size());
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  bool previous_letter = false;
  int32_t i = 0;
  while (i < n) {
    const uint8_t byte = p[i];
    const FastFold::Entry* e;
    if (byte < 0x80) {
      e = table.find(byte);
      ++i;
    } else {
      UChar32 c;
      U8_NEXT(p, i, n, c);
      e = table.find(c);
    }
    if (e == nullptr || e->folded < 0) return false;
    const UChar32 c = e->folded;
    if (c == '\'' || c == '`' || (c >= 0x80 && is_apostrophe(c))) {
      bool next_letter = false;
      if (previous_letter && i < n) {
        int32_t j = i;
        UChar32 next;
        U8_NEXT(p, j, n, next);
        const FastFold::Entry* ne = table.find(next);
        // An uncovered code point fails the whole text on the next round.
        next_letter = ne != nullptr && ne->folded >= 0 && ne->letter;
      }
      out.push_back(previous_letter && next_letter ? ' ' : '\'');
    } else if (c < 0x80) {
      out.push_back(lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    } else if (lower) {
      out += e->lower;
    } else {
      append_utf8(out, c);
    }
    previous_letter = e->letter;
  }
  return true;
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  if (fast_fold(utf8, false, out)) return out;
  return detail::fold_reference(utf8);
}

std::string fold_lower(std::string_view utf8) {
  std::string out;
  if (fast_fold(utf8, true, out)) return out;
  return detail::fold_lower_reference(utf8);
}

std::string lower(std::string_view utf8) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  u.toLower(icu::Locale::getItalian());
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string capitalised(std::string_view utf8) {
  std::string out(utf8);
  if (out.empty()) return out;
  const auto first = static_cast<unsigned char>(out[0]);
  if (first < 0x80) {
    if (first >= 'a' && first <= 'z') out[0] = static_cast<char>(first - 'a' + 'A');
    return out;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(out.data());
  const auto n = static_cast<int32_t>(out.size());
  int32_t end = 0;
  UChar32 c = 0;
  U8_NEXT(p, end, n, c);
  if (c < 0) return out;
  const UChar32 upper = u_toupper(c);
  if (upper == c) return out;
  std::string head;
  icu::UnicodeString(upper).toUTF8String(head);
  return head + out.substr(static_cast<std::size_t>(end));
}

std::string sentence(std::string_view utf8) {
  std::string out = capitalised(utf8);
  if (!out.empty() && out.back() != '.' && out.back() != '?' && out.back() != '!' && out.back() != ')') out += '.';
  return out;
}

void collect_display_forms(std::string_view utf8,
                           std::unordered_map<std::string, std::string>* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  // ASCII without ICU (most of an Italian text): the same answers.
  auto ascii_letter = [](uint8_t b) { return (b | 0x20) >= 'a' && (b | 0x20) <= 'z'; };
  while (i < n) {
    // Skip to the next letter, then take the run of letters.
    int32_t start = i;
    UChar32 c;
    if (p[i] < 0x80) {
      if (!ascii_letter(p[i++])) continue;
      c = p[start];
    } else {
      U8_NEXT(p, i, n, c);
      if (c < 0 || !is_letter(c)) continue;
    }
    bool ascii = c < 0x80;
    int32_t end = i;
    while (i < n) {
      if (p[i] < 0x80) {
        if (!ascii_letter(p[i])) break;
        i = end = i + 1;
        continue;
      }
      int32_t next = i;
      UChar32 d;
      U8_NEXT(p, next, n, d);
      if (d < 0 || !(is_letter(d) || u_charType(d) == U_NON_SPACING_MARK)) break;
      ascii = false;
      i = end = next;
    }
    if (ascii) continue;  // folding changes nothing but case
    const std::string_view word = utf8.substr(static_cast<std::size_t>(start),
                                              static_cast<std::size_t>(end - start));
    std::string folded = fold_lower(word);
    if (out->count(folded) != 0) continue;
    std::string original = lower(word);
    if (original != folded) out->emplace(std::move(folded), std::move(original));
  }
}

bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto n = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      if (bad_offset) *bad_offset = static_cast<std::size_t>(start);
      return false;
    }
  }
  return true;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool has_word_character(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string count_noun(std::int64_t n, std::string_view singular, std::string_view plural) {
  const std::uint64_t count = n < 0 ? 0 : static_cast<std::uint64_t>(n);
  return italian_thousands(count) + " " + std::string(count == 1 ? singular : plural);
}

std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-' ||
        c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool is_local_url(std::string_view url) {
  std::string_view host = url;
  if (const auto p = host.find("://"); p != std::string_view::npos) host = host.substr(p + 3);
  host = host.substr(0, host.find('/'));
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.starts_with("[::1]")) return true;
  host = host.substr(0, host.find(':'));
  // 127.0.0.0/8, written as an address ("127.0.0.1.example.org" is a name).
  const bool loopback_v4 = host.starts_with("127.") && host.find_first_not_of("0123456789.") == std::string_view::npos;
  return host == "localhost" || loopback_v4 || host.empty();
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

int edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus the swap of two neighbouring
  // letters as one edit, the commonest typo on a phone ("reapir"), as
  // Xapian's spelling suggestions and Meilisearch count it.
  const std::vector<UChar32> x = decode(a), y = decode(b);
  std::vector<int> before(y.size() + 1), prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const int sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::vector<std::string> close_words(const std::vector<std::string>& sorted, const std::string& word, int max_edits) {
  if (word.empty() || max_edits <= 0) return {};
  std::size_t first_len = 1;
  while (first_len < word.size() && (static_cast<unsigned char>(word[first_len]) & 0xC0) == 0x80) ++first_len;
  const std::string first = word.substr(0, first_len);
  std::vector<std::pair<int, std::string>> found;
  for (auto it = std::lower_bound(sorted.begin(), sorted.end(), first);
       it != sorted.end() && it->compare(0, first.size(), first) == 0; ++it) {
    if (*it == word) continue;
    const std::size_t a = it->size(), b = word.size();
    if ((a > b ? a - b : b - a) > static_cast<std::size_t>(max_edits) * 2) continue;
    if (const int d = edit_distance(*it, word); d <= max_edits) found.emplace_back(d, *it);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [d, w] : found) out.push_back(std::move(w));
  return out;
}

const std::unordered_set<std::string>& italian_stopwords() {
  // Snowball's Italian stop list (folded), plus elided forms left over when
  // fold() splits "dell'ambiente" into "dell ambiente".
  static const std::unordered_set<std::string> kWords = {
      "ad", "al", "allo", "ai", "agli", "all", "agl", "alla", "alle", "con", "col", "coi",
      "da", "dal", "dallo", "dai", "dagli", "dall", "dagl", "dalla", "dalle", "di", "del",
      "dello", "dei", "degli", "dell", "degl", "della", "delle", "in", "nel", "nello", "nei",
      "negli", "nell", "negl", "nella", "nelle", "su", "sul", "sullo", "sui", "sugli", "sull",
      "sugl", "sulla", "sulle", "per", "tra", "contro", "io", "tu", "lui", "lei", "noi", "voi",
      "loro", "mio", "mia", "miei", "mie", "tuo", "tua", "tuoi", "tue", "suo", "sua", "suoi",
      "sue", "nostro", "nostra", "nostri", "nostre", "vostro", "vostra", "vostri", "vostre",
      "mi", "ti", "ci", "vi", "lo", "la", "li", "le", "gli", "ne", "il", "un", "uno", "una",
      "ma", "ed", "se", "perche", "anche", "come", "dov", "dove", "che", "chi", "cui", "non",
      "piu", "quale", "quanto", "quanti", "quanta", "quante", "quello", "quelli", "quella",
      "quelle", "questo", "questi", "questa", "queste", "si", "tutto", "tutti", "a", "c", "e",
      "i", "l", "o", "ho", "hai", "ha", "abbiamo", "avete", "hanno", "abbia", "abbiate",
      "abbiano", "avro", "avrai", "avra", "avremo", "avrete", "avranno", "avrei", "avresti",
      "avrebbe", "avremmo", "avreste", "avrebbero", "avevo", "avevi", "aveva", "avevamo",
      "avevate", "avevano", "ebbi", "avesti", "ebbe", "avemmo", "aveste", "ebbero", "avessi",
      "avesse", "avessimo", "avessero", "avendo", "avuto", "avuta", "avuti", "avute", "sono",
      "sei", "siamo", "siete", "sia", "siate", "siano", "saro", "sarai", "sara", "saremo",
      "sarete", "saranno", "sarei", "saresti", "sarebbe", "saremmo", "sareste", "sarebbero",
      "ero", "eri", "era", "eravamo", "eravate", "erano", "fui", "fosti", "fu", "fummo",
      "foste", "furono", "fossi", "fosse", "fossimo", "fossero", "essendo", "faccio", "fai",
      "facciamo", "fanno", "faccia", "facciate", "facciano", "faro", "farai", "fara", "faremo",
      "farete", "faranno", "farei", "faresti", "farebbe", "faremmo", "fareste", "farebbero",
      "facevo", "facevi", "faceva", "facevamo", "facevate", "facevano", "feci", "facesti",
      "fece", "facemmo", "faceste", "fecero", "facessi", "facesse", "facessimo", "facessero",
      "facendo", "sto", "stai", "sta", "stiamo", "stanno", "stia", "stiate", "stiano", "staro",
      "starai", "stara", "staremo", "starete", "staranno", "starei", "staresti", "starebbe",
      "staremmo", "stareste", "starebbero", "stavo", "stavi", "stava", "stavamo", "stavate",
      "stavano", "stetti", "stesti", "stette", "stemmo", "steste", "stettero", "stessi",
      "stesse", "stessimo", "stessero", "stando", "d", "s", "m", "t", "v", "n", "quest",
      "quell", "nessun", "qualcun", "ciascun", "sant", "bell", "quand", "sott", "dov", "cos"};
  return kWords;
}

void append_html_escaped(std::string* out, std::string_view s) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* entity = nullptr;
    switch (s[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out->append(s, from, i - from);
    out->append(entity);
    from = i + 1;
  }
  out->append(s, from, s.size() - from);
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  append_html_escaped(&out, s);
  return out;
}

bool is_slug(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

std::string slugify(std::string_view utf8) {
  const std::string folded = fold_lower(utf8);
  std::string out;
  for (char c : folded) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace bp::text
