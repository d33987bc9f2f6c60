// Query understanding: from what a user typed to a Xapian::Query.
//
// We parse the query ourselves instead of using Xapian::QueryParser because
// each word needs decisions QueryParser cannot make per word: typo
// expansion to close spellings when a word is not in the index, dropping the
// least important words when the AND finds too little (Meilisearch's
// matching strategy), multi-word synonyms matched on stems, and the list of
// what to highlight. The syntax is the familiar one:
//   words            all required (AND), stopwords ignored
//   "a phrase"       exact words in that order
//   a OR b           either (upper case OR, or |)
//   -word, NOT word  excluded (upper case NOT)
//   +word            required, never dropped when relaxing
//   last word        also a prefix, unless followed by a space
// Anything else is text: no input is an error.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer.h"
#include "search_query_memo.h"
#include "search_synonyms.h"
#include "search_term_sets.h"
#include "search_thesaurus.h"

namespace bp::search {

// What to mark in snippets: a text word is marked when its plain form or its
// stemmed term is in `terms`, or its plain form starts with a prefix. The
// words of an alternative of several words (a theme's name, a synonym or
// thesaurus phrase: "Welfare di comunità" for "anziani") are in
// `phrase_words` instead, unless also in `terms`: such a word is marked only
// beside another word of the same alternative, with at most stopwords
// between («welfare di comunità»), never alone («comuni», «persone»), as
// Algolia and Meilisearch mark a multi-word synonym.
struct HighlightSpec {
  std::unordered_set<std::string> terms;
  std::vector<std::string> prefixes;
  // Term -> the alternatives it is a word of, one bit each (the 64th and
  // later share the last bit).
  std::unordered_map<std::string, std::uint64_t> phrase_words;
  int phrases = 0;

  // The terms of one alternative: one term to `terms`, several to
  // `phrase_words` as a new alternative.
  void add(const std::vector<std::string>& alternative);
  bool empty() const { return terms.empty() && prefixes.empty() && phrase_words.empty(); }
};

// One required part of the query: a word (with its prefix, typo and synonym
// expansions), a phrase, or an OR group.
struct Clause {
  Xapian::Query query;
  std::string display;             // as typed, lower-case, corrections applied ("attività")
  Xapian::doccount frequency = 0;  // documents it matches, about
  bool matches_nothing = false;
  bool droppable = true;           // false for +word
  // An English word found through its Italian cognates (search_cognates.h):
  // it counts as a typed Italian word in a concept ("confiscated" in
  // "confiscated mafia property").
  bool cognate = false;
  // The clause as combine_any() requires it of a practice matching every
  // clause, when stricter than `query`: multi-word synonyms as phrases
  // ("beni comuni"), not their words anywhere ("beni" ... "comuni").
  std::optional<Xapian::Query> strict;
  // Where the editors' plain words have the word (schema::kPlainWordsPrefix),
  // weighing the term's BM25 idf; combine_any() adds it to the clause,
  // scaled by its plain-words weight. Unset when no plain words have it.
  std::optional<Xapian::Query> plain;
  // The words as typed (with their corrections, completions and altered
  // bases), without the synonyms, themes and thesaurus expansions: what
  // combine_any() requires of a practice that matches every concept but
  // one in its own text and that one in its plain words. Unset when the
  // clause has no such words.
  std::optional<Xapian::Query> typed;
  // A word the library lacks (or has only by its stem), reached through the
  // editors' everyday words or the thesaurus (expand_with_thesaurus): a
  // guess at what it means. Such a clause counts for combine_any()'s
  // near-full tier, with `query`, not for its full tier (its `strict` is
  // the clause without the guesses).
  bool guessed = false;
  // A word of a case file's city or region, typed as a word ("sardegna",
  // "roma"; not one Hunspell knows in small letters: "prato" is a meadow
  // before it is Prato), or a place's adjective that the editors' everyday
  // words list under places only ("catanese"): combine_any() reads it as
  // an optional filter.
  bool place = false;
  // When the clause is the name of a case file's region, as typed
  // ("umbria", "emilia romagna"): the boolean term of the practices filed
  // there (schema::kRegionPrefix), which region_first() puts before those that
  // only mention the region. Empty otherwise.
  std::string region;
  // The region's name is also an Italian word ("marche") typed without a
  // preposition before it: region_first() uses `region` only when it is
  // the query's one clause.
  bool region_only_alone = false;
  // The practices the editors filed under the theme of the concept typed
  // ("after school": the fight against poverty), when that is not all the
  // concept is: a way to it for combine_any()'s near-full tier, not for its
  // full tier (`strict` leaves it out).
  std::optional<Xapian::Query> theme;
};

struct ParsedQuery {
  std::vector<Clause> clauses;  // AND-ed
  std::optional<Xapian::Query> excluded;
  HighlightSpec highlight;
  std::map<std::string, std::string> corrected;  // misspelled word -> the term used (both folded)
  // The same corrections as the case files write the term used
  // ("sostenibilita" -> "sostenibilità"): for the answer and "did you mean".
  std::map<std::string, std::string> corrected_written;
  std::vector<std::string> synonyms;
  std::vector<std::string> ignored;  // question and filler words left out ("come", "posso")
  // The content words past the first kMaxQueryWords distinct ones, not read.
  std::vector<std::string> unread;
  std::map<std::string, std::vector<std::string>> expanded;  // clause display -> its synonyms
  std::optional<std::string> suggestion;  // the query with corrections applied
  bool browse() const { return clauses.empty() && !excluded; }
};

// True for a word that shapes a question or a request but says nothing about
// what is sought: question words, light verbs ("posso", "fare", "aprire"),
// function words the Italian stop list lacks ("almeno", "alcuni"), English
// function words. Such words are never required and never suggested.
bool is_filler_word(const std::string& plain);

// True for a word never offered as a completion while typing: a stopword,
// a filler word, or one of the function words (prepositions, adverbs,
// conjunctions, indefinites: "durante", "attraverso", "altrimenti",
// "qualsiasi") that the Italian stop list lacks and that a query still
// searches (they weigh little there, and leaving them out of queries would
// change answers unmeasured), but that complete "spreco al" into nothing a
// person looks for.
bool is_function_word(const std::string& plain);

// True for a word a teacher uses for the form of a lesson ("laboratorio",
// "lezione", "unità didattica", "scheda", "classe"): a practice with a lesson sheet
// (`didattica`, schema::kLessonSheetTerm) offers one, whether or not its
// text spells the word, so such a word is also matched by the lesson sheet,
// at no weight. A school level's everyday name ("superiori") is matched by
// the sheets of that level (SynonymTable::level_term). Not the topic's
// words ("percorso", "attività", "studenti" say nothing of a lesson).
bool is_lesson_word(const std::string& plain);

// `q` with each acronym written with dots ("C.E.R.", "a.p.s", "S.p.A.")
// as one word ("CER", "aps", "SpA"): two or more single letters, each but
// the last followed by a dot. Other dots ("3.5", "p. es.") stay.
std::string join_dotted_acronyms(std::string_view q);

class QueryUnderstanding {
 public:
  // The prefix of the last word expands to at most this many terms, the
  // most frequent ones.
  static constexpr Xapian::termcount kMaxPrefixExpansion = 40;
  // A query of at least this many content words describes a need: its last
  // word, when the library has it as typed, is finished, not a prefix. As
  // a prefix it weighs about twice any other word (its stem, and its
  // completions, among which the word itself), so that whatever word came
  // last ("scuola", "scout", "paese") outweighed the query's concept.
  // In a short query ("comunità energetica") the word as typed still
  // counts twice, which favours the practices that spell it so over those
  // with other forms of it. Measured on the relevance collection
  // (docs/search-quality.md, "The last word of a long query"): every
  // query (as 1), 3, 4, 5 and 6 words; 5 lowered the fewest kinds and
  // gained the most with the distractors.
  static constexpr std::size_t kMinWordsForFinishedLastWord = 5;

  // `memo`, when given, must be of `db`'s revision (QueryMemo::of); so
  // must `terms` (TermCache::of), which remembers the terms' frequencies.
  QueryUnderstanding(const Xapian::Database& db, Analyzer& analyzer,
                     const SynonymTable& synonyms, const QueryMemo* memo = nullptr,
                     const TermCache* terms = nullptr)
      : db_(db), analyzer_(analyzer), synonyms_(synonyms), memo_(memo), terms_(terms) {}

  // May throw Xapian::Error (the caller catches at its edge). The clauses'
  // `display` and the keys of `expanded` are in the words as typed
  // («attività»), lower-cased, with corrections applied.
  ParsedQuery parse(std::string_view q);

  // The weight of a concept's synonyms relative to the typed words
  // (measured on the relevance collection: 1.0 let practices that merely
  // list a theme's synonyms outrank the ones using the typed words).
  static constexpr double kExpansionWeight = 0.5;
  // The weight of an acronym's expansions ("organizzazione di volontariato"
  // for "ODV"), matched as phrases: the same name in other letters, so as
  // much as the typed acronym (0.5 measured the same; AND of the words
  // instead of the phrase let distractors in).
  static constexpr double kAcronymWeight = 1.0;
  // What a practice filed under a theme gains when the query names the
  // theme or one of its synonyms or everyday words (measured: 0, 1, 2, 4;
  // from 2 typo queries lose with the distractors).
  static constexpr double kThemeWeight = 1.0;
  // The Italian thesaurus (search_thesaurus.h) expands a word the library
  // never uses with at most this many of its synonyms that it does use, in
  // fewer than this share of the practices, weighted this much (measured on
  // the relevance collection: docs/search-quality.md).
  static constexpr std::size_t kMaxThesaurusAlternatives = 8;
  // The share also bounds the editors' everyday words (`everyday_words:`).
  static constexpr double kMaxThesaurusShare = 0.25;
  static constexpr double kThesaurusWeight = 0.3;
  // The weight of the editors' everyday words (`everyday_words:`), apart
  // from the thesaurus's. Measured 0.3, 0.5 and 0.7 (docs/search-quality.md,
  // "Everyday words for the library's words"): 0.5 and 0.7 gained more and
  // lowered one or two kinds, so 0.3 was kept. With the plain words at 0.7
  // in every relaxed query, measured again at 0.4, 0.5, 0.7 and 1.0
  // ("The editors' everyday words at 0.5"): 0.7 and 1.0 lowered the bar's
  // everyday kind; 0.5 gained 9 queries on the starter library and 2 with
  // the distractors, and lowered two development sets by one query or less.
  static constexpr double kEverydayWeight = 0.5;
  // A case files' word of `everyday_words:` is searched by its stem, or as
  // written when its stem is in more than this many times the practices
  // that have the word as written (the stem is then mostly other words':
  // "port" of "porto" is "porta" and "portare" too). Measured 1.5, 2, 3 and
  // "as written always" (docs/search-quality.md, "A word of the editors'
  // list whose stem is other words'").
  static constexpr double kMaxEverydayStemSpread = 2.0;
  // A word the editors listed in `everyday_words:` is expanded to its case
  // files' word even when the plain words (`in_parole_semplici`) of up to
  // this many practices use it: "strozzini" (loan sharks), in two
  // practices' plain words, still finds the practices whose text says
  // "usura". A word the plain words of more practices use ("soldi") is
  // theirs to find; its case files' word ("fondi") is in passing in too many
  // practices. Measured 0 (never, as before), 1, 2, 3, 5 and 8
  // (docs/search-quality.md, "A listed word in a few practices' plain
  // words"): 2 to 5 the same, 8 lowered the everyday kind among distractors.
  static constexpr Xapian::doccount kMaxPlainWordsPracticesToExpand = 3;
  // The weight of an altered word's base ("giardino" for "giardinetto",
  // search_thesaurus.h) when the altered word is absent from the library.
  // (measured: 0.5 found the same practices, ranked a little lower).
  static constexpr double kAlteredWeight = 1.0;
  // The weight of a derived word's base in the library ("pensione" for
  // "pensionati", "pellegrini" for "pellegrinaggio") when the derived word
  // is absent from it (family_term()).
  // Measured on the relevance collection (docs/search-quality.md, "Question
  // words in everyday Italian"): 1 and 1.5 gained the same, 0.5 and 0.7
  // less (the base must outweigh the word's thesaurus synonyms); a root of
  // 4 letters linked too many words of other meanings ("bellicoso" ->
  // "bello", "statico" -> "stato"), 6 measured the same as 5.
  static constexpr double kFamilyWeight = 1.0;
  static constexpr std::size_t kMinFamilyRoot = 5;
  // The shortest part of a word split into the library's words
  // (typed_together(): "tor" of "torbellamonaca").
  static constexpr std::size_t kMinSplitPart = 3;
  // The length of a word whose only correction is a letter left out
  // (close_spellings); shorter words are never corrected.
  static constexpr std::size_t kShortTypoLength = 4;
  // A misspelled word is searched as its kMaxSpellings closest spellings,
  // chosen among kSpellingCandidates by the other words of the query
  // (context_spelling()).
  static constexpr std::size_t kMaxSpellings = 3;
  static constexpr std::size_t kSpellingCandidates = 8;
  // An English word absent from the library and not Italian ("regeneration")
  // reaches at most this many of its Italian cognates that the library
  // uses ("rigenerazione"; search_cognates.h), weighted this much, as a
  // derived word's base (measured on the relevance collection,
  // docs/search-quality.md, "English words as Italian cognates": 0.3 and
  // 0.5 gained less with the distractors).
  static constexpr std::size_t kMaxCognates = 2;
  static constexpr double kCognateWeight = 1.0;
  // An everyday expression of the lexicon (taxonomy `expressions:`, "dare
  // una mano") also finds the plain words that say it ("aiutare"), OR-ed
  // into the clauses of its words at this weight, each used only when the
  // library has it in at most this share of the practices (at least one):
  // a common word says nothing of the expression. Measured on the
  // relevance collection (docs/search-quality.md, "Everyday expressions"):
  // weights 0.2-1 and shares 0.05-1; only 0.05 lowered no kind on either
  // library, and 0.3 gained most with it.
  static constexpr double kExpressionWeight = 0.3;
  static constexpr double kMaxExpressionShare = 0.05;
  // An English phrase that is one of a theme's names ("elderly people",
  // "beach cleanup"), with a word absent from the library or found through
  // its cognates, also carries, at this weight, what its own words
  // would have brought typed alone (their synonym groups, cognates, and
  // the literal terms of its Italian words), only to rank the practices
  // the concept matches: the theme's label and filter term weigh the same
  // in every practice of the theme. Measured on the relevance collection
  // (docs/search-quality.md, "A theme's name and its own words"): 0.05,
  // 0.1, 0.15 gained the same, 0.2 and more lowered English with the
  // distractors; Italian everyday phrases too (their words' literal
  // terms), or matching outside the concept, lowered other kinds.
  static constexpr double kOwnWordsWeight = 0.1;
  // A theme's loose phrase of two words or more ranks the theme's practices
  // by its first content word (its head: "vestiti" of "vestiti usati") at
  // this weight. Measured on the relevance collection (docs/search-
  // quality.md, "The head word of a theme's loose phrase"): 0.05-0.3; every
  // word rather than the head lowered kinds ("internazionale" of
  // "solidarietà internazionale" is asylum's "protezione internazionale"),
  // 0.2 and 0.3 lowered everyday-heldout12, 0.1 lowered none.
  static constexpr double kHeadWordWeight = 0.1;
  // A school level named by a class or a school ("terza media",
  // school_level_clause()): a practice with a lesson sheet for the level
  // gains this fixed weight, one whose text names the level ("scuola
  // media") this share of the words' BM25 weight. Measured on the
  // relevance collection (docs/search-quality.md, "Teachers' class
  // years"): text at 0 lowered a question set among distractors (a
  // question naming "la scuola media" lost what its words weighed), 0.2
  // the same, 0.5 and 1 lowered the class years on the starter library,
  // 0.3 no kind; then the sheet at 0, 0.5, 1, 2 and 4: 2 and 4 the same
  // and best (a sheet for the level before a text that mentions a school
  // of it in passing), none lower.
  static constexpr double kLevelSheetWeight = 2.0;
  // What a practice filed under a sustainable development goal weighs for
  // the goal's number typed ("sdg 11"; goal_clause()): more than any BM25
  // weight of the words, which alone say little ("11" anywhere).
  static constexpr double kGoalFiledWeight = 20.0;
  static constexpr double kLevelTextWeight = 0.3;
  // What a practice matching every clause gains in combine_any().
  static constexpr double kFullMatchBonus = 1000.0;
  // What a practice gains in combine_any() when it has the typed words of
  // every clause but one in its own text and that one in its plain words
  // (`in_parole_semplici`), or through a guessed clause's everyday words or
  // thesaurus synonyms, for queries of at least kNearFullMatchClauses
  // clauses: above every partial match, below the full literal matches.
  // Measured on the relevance collection (docs/search-quality.md, "Three
  // defects"): counting any match of a clause (themes, synonyms) or two
  // clauses lowered the everyday kind; the typed words from three clauses
  // lowered no kind. A guess counted as the word typed put practices first
  // on a thesaurus sense alone ("terra natale": "d'origine";
  // docs/search-quality.md, "A guessed word is not a full match"); counted
  // here, and not in the full tier, it lowered no figure.
  static constexpr double kNearFullMatchBonus = 500.0;
  // What a practice gains in combine_any(), for a query relaxed because no
  // practice matched every concept in its own words, when it matches every
  // concept in some way (a loose theme, a guess): below the near-full
  // tier. Measured (docs/search-quality.md, "Relaxed when nothing matches
  // every concept in its own words"): 50 and 250 rank alike; without the
  // tier, everyday-heldout9 fell.
  static constexpr double kAnyWayMatchBonus = 250.0;
  // What a practice matching a place clause (Clause::place) and some other
  // clause gains in a relaxed answer of two droppable clauses or more:
  // among the partial matches, those of the place come before those
  // elsewhere that match as much (Algolia's optional filters), a weight,
  // not a tier, so that a practice elsewhere with much more of the query
  // can still lead. Measured on the relevance collection
  // (docs/search-quality.md, "A place named in a relaxed query"): 1 and 3,
  // with and without the other clause. 3 gained a little more on the
  // opened sets but let a practice with the place and one word pass one
  // elsewhere with most of the query; 1 does not. Hunspell's reading of
  // proper nouns instead of the case files' places lowered a question set.
  static constexpr double kPlaceBonus = 1.0;
  // What a practice filed under a region gains in region_first() when the query
  // names that region (Clause::region): the practices of Umbria before
  // those of Lazio that mention Umbria, among those matching every clause.
  // A tier, as Algolia's optional filters rank: below the full-match tiers
  // of combine_any(), above any BM25 weight.
  static constexpr double kRegionBonus = 100.0;
  static constexpr std::size_t kNearFullMatchClauses = 3;
  // A practice whose plain-words description (`in_parole_semplici`,
  // schema::kPlainWordsPrefix) has a query word gains this many times the
  // word's BM25 idf there (a fixed weight: those terms have wdf 0 and stay
  // out of the document length), in the relaxed query only, so that the
  // literal words decide whenever they find enough. Measured on the
  // relevance collection (docs/search-quality.md, "Plain words: candidates
  // that keep every kind", "Plain words when the literal words fit badly"
  // and "The last word of a long query"): 0.2 everywhere, with 0.7 when
  // the literal words fit no practice well (the best under 0.4 of the
  // most a practice could get), was the choice until the last word of a
  // long query stopped counting twice; since then 0.7 in every relaxed
  // query gains most (0.5 and 1.5 less, 1.0 about the same with twice the
  // queries moved either way), and the test of the fit costs one match.
  static constexpr double kPlainWordsWeight = 0.7;
  // A practice whose questions (`domande`, schema::kQuestionsPrefix) have a
  // query word that its plain words lack gains this share of what the plain
  // words would give, at the word's idf among the plain words (or among the
  // questions, when only they have it). Measured on the relevance collection
  // (docs/search-quality.md, "The questions a practice answers"): the
  // questions as plain words (one prefix, one idf) lowered the question
  // kind; their own prefix at shares 0.5 to 0.75, and at their own idf,
  // each lowered one or two held-out MRR figures by 0.01. 0.75 lowered one
  // (question-heldout4 among distractors, 0.29 -> 0.28) and gained most.
  static constexpr double kQuestionsWeight = 0.75;
  // When the strict AND of three clauses or more finds enough practices
  // but the best of them weighs less than this share of the most a
  // practice could (its words there in
  // passing, each once in a long text: on a large library a few practices
  // have every word of a long query by chance), the query is ranked as the
  // relaxed one without putting the full matches first: a practice about
  // the query that lacks one of its words ("rione", "verso") is not hidden
  // behind them. Measured with 1,000 distractors (docs/search-quality.md,
  // "Distractors"): 0.3 and 0.35 raise everyday 0.58 -> 0.63 and lower no
  // kind; 0.2 changes nothing; 0.4 and 0.5 lower a held-out set.
  static constexpr double kWeakFullMatchShare = 0.3;

  // AND of the clauses, minus the excluded words. An empty query (the
  // empty term: every document) when there is nothing to search.
  static Xapian::Query combine(const ParsedQuery& parsed);
  // `strict` (combine()'s query, as ranked when not relaxed) with the
  // practices filed under a region the query names first
  // (Clause::region, kRegionBonus): the same practices, in another order.
  static Xapian::Query region_first(const ParsedQuery& parsed, const Xapian::Query& strict);

  // The relaxed query: required clauses (+word) stay required, the others
  // are optional and ranked by BM25 over all of them; a practice matching
  // every clause ranks above any partial match, unless `full_match_first`
  // is false (the full matches are weak: kWeakFullMatchShare), and from
  // kNearFullMatchClauses clauses one with every clause's typed words in its
  // text but one, found in its plain words or, for a guessed clause, through
  // its guesses, next. Minus the excluded words.
  // Nothing when no clause matches anything. The clauses' plain words
  // weigh kPlainWordsWeight.
  // With `any_way_tier`, a practice that matches every clause in any way
  // (combine()) ranks above the partial matches (kAnyWayMatchBonus).
  static Xapian::Query combine_any(const ParsedQuery& parsed, bool full_match_first = true, bool any_way_tier = false);

  // The practices that match every clause in the full tier's sense: a
  // loose theme or a guess is not enough (Clause::strict). nullopt with
  // fewer than two clauses, and when no clause has such another way (then
  // it is combine()).
  static std::optional<Xapian::Query> combine_full(const ParsedQuery& parsed);

  // True when some clause has plain words (Clause::plain).
  static bool has_plain_words(const ParsedQuery& parsed);

  // Each clause as it weighs in combine_any(): its query, with its plain
  // words at kPlainWordsWeight; nullopt for a clause that matches nothing
  // there.
  static std::optional<Xapian::Query> relaxed_clause(const Clause& c);
  // relaxed_clause() of every clause that weighs (search::saturate_clauses).
  static std::vector<Xapian::Query> relaxed_clauses(const ParsedQuery& parsed);

  // Close spellings of a word absent from the index, best first, at most
  // kSpellingCandidates: 1 edit allowed from 5 letters, 2 from 9
  // (Meilisearch's defaults); for a word of kShortTypoLength letters, one
  // letter left out only. In the text, or else in the editors' plain words
  // and questions.
  std::vector<std::string> close_spellings(const std::string& plain);
  // The closest spelling, among the taxonomy's one-word phrases that
  // Hunspell knows, of a word nothing else reads (unread_misspelling():
  // "senzateto": "senzatetto", an everyday word no case file writes); ""
  // when none. Same bounds as close_spellings().
  std::string taxonomy_spelling(const std::string& plain);
  // The closest spellings, among the thesaurus's one-word entries that
  // Hunspell knows, of a word nothing else reads, as for
  // taxonomy_spelling() ("riciclagio": "riciclaggio", whose meanings and
  // family the library has: "riciclo"); empty when none. Fewest edits
  // first; the caller keeps the first that reaches the library.
  std::vector<std::string> thesaurus_spellings(const std::string& plain);
  // True for a word of five letters or more, not a function word, that
  // Hunspell rejects and nothing in the library reads: not the text, the
  // plain words or the questions, nor any close spelling there. What the
  // two spellings above need (false without Hunspell).
  bool unread_misspelling(const std::string& plain);

  // The word the search corrects `plain` (a folded word typed alone) to,
  // as ParsedQuery::corrected says, or "" when it does not correct it: a
  // word the library has, a word Hunspell knows whose close spellings are
  // of another family ("patentino" is not "salentino"), a word the
  // thesaurus or the editors' everyday words expand instead. What the
  // completions after a typed word use (search::CompletionOptions).
  std::string correction(const std::string& plain);

 private:
  // close_spellings() without the memo.
  std::vector<std::string> scan_spellings(const std::string& plain);
  // Among `spellings` of `plain` (best first) as close as the first, the
  // first that some practice has together with another word of the query
  // (in its text, plain words or questions) moves to the front: "pannelli
  // solri" is "solari", not the commoner "soldi" or "soli". Unchanged when
  // none is, or the query has no other word.
  void context_spelling(const std::string& plain, std::vector<std::string>* spellings) const;
  // The terms a practice has `word` by: text (stem or as written), plain
  // words, questions; those the library has.
  std::vector<std::string> library_terms(const std::string& word) const;
  struct Item;
  // Lexing: the folded query as items (words, phrases, with their -, +,
  // NOT and OR marks). Never fails. A query of operators alone ("AND OR
  // NOT") is read as words: it asks for nothing else, and matching every
  // practice without a word said would answer a question nobody asked.
  static std::vector<Item> lex(std::string_view folded, bool operators = true);
  // The verb of a how-to question, "come [si] <verb> …" ("come portare i
  // bambini…", "come si riduce la bolletta…"), by its index in `items`, or
  // -1: it says what to do, which a practice tells in its own words
  // ("ridurre", "riduzione", "risparmio"), so it is left out like a filler
  // word rather than required. The first word after "come" and the words
  // that may precede a verb ("si", "posso", "fa a"), when Hunspell knows it
  // and no article comes before it ("come si fa un orto?": a noun).
  std::size_t how_to_verb(const std::vector<Item>& items) const;
  // The index of the place's name when items[i] only says where, before
  // it, else 0: "vicino
  // (a)", "zona", "dalle parti di", "nei dintorni di", "in provincia di"
  // followed by a word the library uses that Hunspell's Italian dictionary
  // does not know in small letters ("roma", "umbria"), or by a word of a
  // case file's city or region that it knows, with no article before it
  // ("vicino bari"; "vicino al prato" asks for a meadow).
  // Such a word is left out like a question's filler: "vicino roma" asks
  // for Rome.
  std::size_t place_locator(const std::vector<Item>& items, std::size_t i) const;
  // True for a word of a case file's city or region ("lecce", "bari"), or
  // one that a locator names as a place ("vicino bari"; located_): a name,
  // searched as written, not by its stem ("lecce" is not "lecci", "bari"
  // not "bar"), and meeting only the synonym groups that write it so.
  // Measured (docs/search-quality.md, "A place's name as written"): no
  // figure of the collection moves, with or without the places Hunspell
  // knows as common words ("bari", "valle", "alto").
  bool place_name(const std::string& plain) const;
  // A place's name of two words or more typed at items[m] ("reggio
  // emilia", "valle d'aosta", "alto adige" of "trentino-alto-adige"): one
  // clause requiring its words as written, a place (Clause::place), so
  // that a relaxed query does not count "reggio" of Reggio Calabria or
  // "emilia" of Bologna's region as half of it. Returns the items taken,
  // 0 when none is there.
  std::size_t place_name_clause(const std::vector<Item>& items, std::size_t m, std::size_t end, ParsedQuery* out);
  // Clause building: the items as AND-ed clauses and excluded terms in `out`.
  void build_clauses(const std::vector<Item>& items, ParsedQuery* out);
  // The OR group starting at items[k] as one clause; returns the index after it.
  std::size_t or_group_clause(const std::vector<Item>& items, std::size_t k, ParsedQuery* out);
  // The run of plain words starting at items[k] (synonyms matched first);
  // returns the index after it.
  std::size_t word_run_clauses(const std::vector<Item>& items, std::size_t k, bool has_content,
                               ParsedQuery* out);
  // parse() before the displays are given back their typed accents.
  ParsedQuery parse_folded(std::string_view q);
  // `q` as typed with each corrected word (folded, a key of `written`)
  // replaced by its spelling as the case files write it.
  std::string corrected_query(std::string_view q, const std::map<std::string, std::string>& written);
  Clause word_clause(const std::string& plain, bool partial, ParsedQuery* out);
  // A word absent from the library that is two or three of its words typed
  // together ("frigosolidali", "torbellamonaca"), split as the library
  // writes them ("frigo solidali"), or empty. Each part a word the case
  // files write as typed (not only its stem), at least kMinSplitPart
  // letters, not a stopword or filler word; two parts before
  // three, then the split whose rarest part is commonest (Typesense's and
  // Meilisearch's word splitting). Two term lookups per cut.
  std::vector<std::string> typed_together(const std::string& plain) const;
  // A word absent from the library that is a short prefix and a word the
  // library writes with a hyphen between them ("coprogettazione": the case
  // files write "co-progettazione", indexed as the two words): the two, or
  // empty. A prefix of two or three letters (typed_together() takes longer
  // parts), the rest at least four; the library must have them next to
  // each other (one phrase match).
  std::vector<std::string> hyphen_split(const std::string& plain) const;
  // The library's term for two words typed apart that the case files write
  // as one ("bici bus" -> "bicibus", "dopo scuola" -> "doposcuola"), or "".
  std::string joined_term(const std::string& first, const std::string& second) const;
  // The term a word of the library is indexed by (its stem, or its plain
  // form when only that is in the index), or "" when the library lacks it.
  std::string library_term(const std::string& word) const;
  // True when `spelling`, a close spelling of `plain`, an Italian word
  // Hunspell accepts, may stand for it: a lower-case Italian word of its
  // family (its Snowball stem begins `plain`). One metadata read, one
  // Hunspell lookup and one stem; only for a word absent from the library.
  bool same_family_spelling(const std::string& plain, const std::string& spelling) const;
  // The stemmed term of a word's base that the library uses, when the word
  // is absent from it and is that base with an Italian derivational suffix
  // ("pensionati" -> "pension", "pellegrinaggio" -> "pellegrin",
  // "giardinaggio" -> "giardin"): the word's Snowball stem less one
  // suffix, at least kMinFamilyRoot letters left, when the stemmer took no
  // more than a gender and number ending from the word. One
  // term-frequency lookup per suffix the stem ends with (usually none or
  // one). "" when there is none.
  std::string family_term(const Analyzer::WordTerms& terms) const;
  // The Italian cognates of an English word that the library uses
  // (search_cognates.h), at most kMaxCognates, as pairs: the word as the
  // library writes it ("comunità"), then the term to search ("Zcomun").
  // Flattened (word, term, word, term…) for the memo. Candidates whose
  // very spelling is a word of the library come first; a candidate found
  // only by its stem needs a stem of at least kMinFamilyRoot letters. Up to
  // kMaxCognateCandidates term-frequency lookups, only for a word the
  // library lacks; remembered per revision (QueryMemo).
  std::vector<std::string> cognates(const std::string& plain);
  std::vector<std::string> scan_cognates(const std::string& plain);

  Clause phrase_clause(const std::vector<std::string>& words, ParsedQuery* out);
  // A school level named by a class or a school at items[m] (before `end`):
  // "terza media", "classe quinta elementare", "scuola primaria", "scuole
  // medie", or a level's name of several words ("secondaria di primo
  // grado"): optional "classe"/"scuola" (any number), an optional ordinal
  // ("prima" to "quinta", "3a"), then one of the level's names; a level's
  // one-word name alone ("medie") is not one (word_clause() reads it). The
  // clause matches the practices with a lesson sheet for that level, and
  // those whose text names the level ("scuola media", "scuole medie", the
  // typed words in a row), at kLevelSheetWeight and kLevelTextWeight: the
  // topic's words rank first. Reported
  // as expanded to the level's label. Returns how many items it took, 0
  // when none (nothing added to `out`).
  std::size_t school_level_clause(const std::vector<Item>& items, std::size_t m, std::size_t end, ParsedQuery* out);
  // A sustainable development goal by its number at items[m] (before
  // `end`): "sdg 11", "goal 11", "obiettivo 11", "sdg11", a number the
  // taxonomy's `sdgs:` has. The clause matches the practices filed under
  // the goal at kGoalFiledWeight, and those whose text has the typed words
  // in a row at their own BM25 weight, which stays below it: the goal's
  // practices first. Reported as expanded to the goal's label. Returns how
  // many items it took, 0 when none (nothing added to `out`).
  std::size_t goal_clause(const std::vector<Item>& items, std::size_t m, std::size_t end, ParsedQuery* out);
  // Two words, items[m] and items[m + 1] (before `end`, the run that
  // starts at `k` with its synonym keys `keys`), that make an Italian word
  // only the taxonomy has ("senza tetto": "senzatetto") and are no phrase
  // of their own: that word's concept clause, added to `out`; returns 2,
  // or 0 (nothing added).
  std::size_t taxonomy_join_clause(const std::vector<Item>& items, std::size_t m, std::size_t end,
                                   const std::vector<std::vector<std::string>>& keys, std::size_t k, ParsedQuery* out);
  // The concept clause of `word`, a one-word phrase of the taxonomy's
  // groups, standing for the word `typed` (a correction or a join of it);
  // nullopt when the word matches no group of its own (or only those its
  // blocked expansions leave out).
  std::optional<Clause> word_concept_clause(const Item& typed, const std::string& word, ParsedQuery* out);
  Clause concept_clause(const std::vector<Item>& items, std::size_t from, std::size_t count,
                        const std::vector<const SynonymGroup*>& groups, ParsedQuery* out);
  // The plain words of the everyday expressions among `groups` that the
  // library uses in at most kMaxExpressionShare of the practices, as one
  // alternative at kExpressionWeight (OP_SYNONYM: a practice using several
  // counts once), reported as `display`'s expansions in `out`; nullopt when
  // there is none.
  std::optional<Xapian::Query> expression_meanings(const std::vector<const SynonymGroup*>& groups,
                                                   const std::string& display, ParsedQuery* out);
  // What the content words of a concept would have brought had they been
  // typed alone, when one of them is not Italian (Hunspell's word or a
  // thesaurus entry's folded form): the literal terms of its Italian
  // words, the cognates of its English ones, each word's synonym groups
  // but a theme's (phrases of `taken` left out, and added to it), weighted
  // kOwnWordsWeight; reports the groups' phrases under `display` in `out`.
  // nullopt when there is nothing, or no Hunspell to tell English.
  std::optional<Xapian::Query> own_words_query(const std::vector<std::pair<std::string, Clause>>& words,
                                               std::set<std::vector<std::string>>* taken,
                                               const std::string& display, ParsedQuery* out);
  Xapian::Query excluded_query(const Item& item);
  // The thesaurus synonyms of a word the library never uses that it does
  // use (at most kMaxThesaurusAlternatives): each as written and as terms.
  struct ThesaurusMatch {
    std::string phrase;
    std::vector<std::string> terms;
    bool editors = false;  // from the editors' everyday words
  };
  // The editors' everyday words (`everyday_words:`) come first.
  std::vector<ThesaurusMatch> thesaurus_alternatives(const std::string& plain);
  // Adds to a plain word's clause its thesaurus synonyms found in the index,
  // as one lower-weighted alternative, and reports them in `out`.
  void expand_with_thesaurus(const std::string& plain, Clause* clause, ParsedQuery* out);

  const Xapian::Database& db_;
  Analyzer& analyzer_;
  const SynonymTable& synonyms_;
  const QueryMemo* memo_;
  const TermCache* terms_;
  // db_.get_termfreq(term), through terms_ when given.
  Xapian::doccount frequency(const std::string& term) const { return termfreq(db_, terms_, term); }
  const Thesaurus* thesaurus_ = synonyms_.thesaurus();
  // The verb of a how-to question in the query being parsed (how_to_verb()).
  std::size_t how_to_verb_ = static_cast<std::size_t>(-1);
  // The distinct content words of the query being parsed, folded: neither
  // stopwords nor filler words, nor negated (kMinWordsForFinishedLastWord,
  // context_spelling()); and every word of the query in order.
  std::vector<std::string> query_words_;
  std::vector<std::string> query_sequence_;
  // True while the word being parsed follows an article or an articulated
  // preposition ("gli scarti", "le ferie"): a noun's or an adjective's
  // form, so the thesaurus's verb senses are not its meanings.
  bool after_determiner_ = false;
  // The words of the query being parsed that a locator names as places
  // ("bari" of "vicino bari"; place_locator()).
  std::unordered_set<std::string> located_;
  // The term of a word under an editors' prefix (schema::kPlainWordsPrefix,
  // kQuestionsPrefix), or "" when no practice has it there.
  std::string editors_term(const Analyzer::WordTerms& terms, std::string_view prefix) const;
  // The term of a word in the plain-words description, or "". A word only
  // in the questions (`domande`) is not a word of the library: it is still
  // corrected and expanded.
  std::string plain_words_term(const Analyzer::WordTerms& terms) const;
};

}  // namespace bp::search
