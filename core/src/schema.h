// The index schema shared by the builder (bp-index) and the searcher
// (bp-server): term prefixes, value slots, on-disk layout. Changing anything
// here needs kSchemaVersion bumped (the builder then rebuilds from scratch).
#pragma once

#include <string>
#include <string_view>
#include <xapian.h>

namespace bp::schema {

// 2: written forms of accented words; 3: datestamps, tombstones; 4: teaching
// facets; 5: result record as document data, page data in kSlotPage; 6:
// page data compressed with the record's text as dictionary; 7: snippet
// words without offsets (folded forms of non-ASCII words only); 8: the
// offsets back (7 saved 4 % of the index but cost 3 % more instructions
// per search at 1k: docs/performance.md); 9: the result record in
// kSlotResult with its body LZ4-compressed, no document data; 10: the
// plain-words description `in_parole_semplici` in the text and the page data;
// 11: the plain words under kPlainWordsPrefix only, at wdf 0; 12: the plain
// words and their snippet words in the result record (a hit found only
// through them shows them as its snippet); 13: the snippet words grouped
// by their first two letters, so that a hit reads only the groups a query
// can match (search_snippet.h); 14: kLessonSheetTerm; 15: the questions
// `domande` under kQuestionsPrefix and in the page data; 16: the questions
// and their snippet words in the result record; 17: the next words
// (kNextWordsPrefix); 18: the case file's language in the result record
// (results and feed entries say it to screen readers and feed readers).
inline constexpr int kSchemaVersion = 18;

// On-disk layout of an index folder (--index DIR):
//   DIR/CURRENT      one line: the name of the live database folder ("db-000003")
//   DIR/db-000003/   a Xapian glass database
//   DIR/live         a symbolic link to the same folder ("db-000003"): the
//                    stable name xapian-replicate-server serves to replicas
//                    (docs/index-replication.md)
// Incremental builds commit into the live database (readers reopen()).
// A full rebuild writes a new db-N, then atomically renames CURRENT.tmp over
// CURRENT (and live.tmp over live), so a reader never sees a half-built
// index; old folders are removed by the next build.
inline constexpr std::string_view kCurrentFile = "CURRENT";
inline constexpr std::string_view kLiveLink = "live";
// A replica written by xapian-replicate has no CURRENT: its folder holds
// replica_0/ or replica_1/ and this stub file naming the live one, replaced
// atomically after each full copy.
inline constexpr std::string_view kReplicaStubFile = "XAPIANDB";

// Metadata keys.
inline constexpr std::string_view kMetaSchema = "bp:schema";          // "1"
inline constexpr std::string_view kMetaTaxonomyHash = "bp:taxonomy";  // hash of taxonomy.yaml
// Taxonomy::to_bytes of taxonomy.yaml as loaded (with its diagnostics):
// written by a full build, and by an incremental one that writes anyway when
// it is missing; an incremental build reads it instead of parsing the YAML.
inline constexpr std::string_view kMetaParsedTaxonomy = "bp:parsed_taxonomy";
// When the last build that changed the index ran ("YYYY-MM-DDThh:mm:ssZ"),
// and the git commit of the content it read ("" when not a git checkout;
// "<sha>-dirty" with uncommitted changes). Replicas carry them unchanged.
inline constexpr std::string_view kMetaBuiltAt = "bp:built_at";
inline constexpr std::string_view kMetaContentCommit = "bp:content_commit";
// "bp:word:<folded word>" -> the word as written, lower-case ("citta" ->
// "città"), for words whose accents folding removed: suggestions and "did
// you mean" show the written form.
inline constexpr std::string_view kMetaWordPrefix = "bp:word:";
// "bp:deleted:<slug>" -> tombstone of a removed practice, kept for ever so
// that harvesters (OAI-PMH, deletedRecord "persistent") learn of the removal:
// "<datestamp of the removal>" followed by "\x1f<setSpec>" per set it was in.
// Removed when a practice with that slug comes back.
inline constexpr std::string_view kMetaDeletedPrefix = "bp:deleted:";
// "bp:published:<stamp>" -> the datestamp at which the records a build
// stamped <stamp> (its start, kSlotModified, the removal time of its
// tombstones) were published. A build writes it in a commit of its own once
// its documents are visible (after the CURRENT switch for a full build),
// dated after that moment (records::publication_datestamp): an OAI-PMH
// harvester that harvests from its last responseDate then never misses
// records that became visible after it asked, whichever way a build
// committed them. Records whose stamp has no publication are a build in
// progress, or one that stopped half-way: harvesters do not see them until a
// build publishes them. Keys no record refers to any more are removed.
inline constexpr std::string_view kMetaPublishedPrefix = "bp:published:";
// "1" once a build has published (a database written before publications
// existed shows its stamps as datestamps).
inline constexpr std::string_view kMetaPublishes = "bp:publishes";

// Terms.
inline constexpr std::string_view kIdPrefix = "Q";      // Q<slug>: unique id
inline constexpr std::string_view kTitlePrefix = "S";   // title words (also indexed unprefixed)
// The words of the editors' plain-words description `in_parole_semplici`
// (as terms and "Z" stems, wdf 0, with positions), only under this prefix:
// the query scores them below the literal words (search_query.h).
inline constexpr std::string_view kPlainWordsPrefix = "XPLAIN";
// The words of the questions a practice answers (`domande`), in the same way
// under their own prefix (search_query.h, kQuestionsWeight).
inline constexpr std::string_view kQuestionsPrefix = "XQUEST";
// What follows a word in a practice's title, summary, headings, tags, plain
// words and questions, as boolean terms: "XNEXTspreco alimentare",
// "XNEXTgruppi di acquisto" (folded, lower case: a content word, then the
// words after it in the same clause up to the next content word). The
// completions after a space read them (search_extras.h, suggestions()).
inline constexpr std::string_view kNextWordsPrefix = "XNEXT";
// The linking words (prepositions, articles) a phrase of kNextWordsPrefix
// may have between its two content words.
inline constexpr std::size_t kNextWordsMaxLinking = 2;
// Every practice with a lesson sheet (`didattica`): what a teacher's words
// for a lesson or a school level find (search_query.h, is_lesson_word).
inline constexpr std::string_view kLessonSheetTerm = "XLESSON";
// Boolean filter terms, one per facet value: prefix + value (e.g. "XHUBnord").
inline constexpr std::string_view kHubPrefix = "XHUB";
inline constexpr std::string_view kRegionPrefix = "XREG";
inline constexpr std::string_view kThemePrefix = "XTHEME";
inline constexpr std::string_view kDimensionPrefix = "XDIM";
inline constexpr std::string_view kSdgPrefix = "XSDG";
inline constexpr std::string_view kAudiencePrefix = "XAUD";
inline constexpr std::string_view kModulePrefix = "XMOD";
inline constexpr std::string_view kYearPrefix = "XYEAR";
// The `didattica` block: school levels, subjects (slugs) and a duration band.
inline constexpr std::string_view kLevelPrefix = "XLEVEL";
inline constexpr std::string_view kSubjectPrefix = "XSUBJ";
inline constexpr std::string_view kDurationPrefix = "XDUR";

// Value slots.
enum Slot : Xapian::valueno {
  kSlotDate = 0,       // "YYYYMMDD" (or "YYYY0000" from the year; "" if neither)
  kSlotYear = 1,       // Xapian::sortable_serialise(year)
  kSlotTitle = 2,      // fold_lower(title), for sorting by title
  kSlotHash = 3,       // content hash of the file
  kSlotStat = 4,       // "<mtime_ns>:<size>" of the file, for fast incremental builds
  kSlotPath = 5,       // path relative to the content root
  // "YYYY-MM-DDThh:mm:ssZ" (UTC): when the index learnt of the practice's
  // current content (its file added or changed). Full rebuilds keep it for
  // files whose content hash is unchanged. OAI-PMH datestamp, sitemap lastmod.
  kSlotModified = 6,
  // Facet values for counting; multi-valued facets hold the values joined
  // by kFacetSeparator.
  kSlotHub = 10,
  kSlotRegion = 11,
  kSlotTheme = 12,
  kSlotDimension = 13,
  kSlotSdg = 14,
  kSlotAudience = 15,
  kSlotModule = 16,
  kSlotYearFacet = 17,
  kSlotLevel = 18,
  kSlotSubject = 19,
  kSlotDurationFacet = 20,
  // Xapian::sortable_serialise(didattica.duration_minutes), for duration_max
  kSlotDuration = 21,
  // The page data (search_document.h): zlib-compressed JSON of the whole
  // front matter plus slug, path, body_html and headings (the result
  // record's text is the zlib dictionary).
  kSlotPage = 22,
  // The result record (search_document.h): the summary fields and the
  // snippet sources (the body's plain text and its words, then the plain
  // words and theirs, each LZ4-compressed).
  kSlotResult = 23,
};

inline constexpr char kFacetSeparator = '\x1f';

struct FacetField {
  std::string_view name;    // API name: "hub", "theme", ...
  std::string_view prefix;  // boolean term prefix
  Xapian::valueno slot;     // counting slot
};

// Every facet, in the order the API lists them.
inline constexpr FacetField kFacets[] = {
    {"hub", kHubPrefix, kSlotHub},
    {"region", kRegionPrefix, kSlotRegion},
    {"theme", kThemePrefix, kSlotTheme},
    {"dimension", kDimensionPrefix, kSlotDimension},
    {"sdg", kSdgPrefix, kSlotSdg},
    {"audience", kAudiencePrefix, kSlotAudience},
    {"module", kModulePrefix, kSlotModule},
    {"year", kYearPrefix, kSlotYearFacet},
    {"level", kLevelPrefix, kSlotLevel},
    {"subject", kSubjectPrefix, kSlotSubject},
    {"duration", kDurationPrefix, kSlotDurationFacet},
};

inline const FacetField* find_facet(std::string_view name) {
  for (const auto& f : kFacets)
    if (f.name == name) return &f;
  return nullptr;
}

// Document data: none (search_document.h says why); the result record is
// in kSlotResult, the page data in kSlotPage.

}  // namespace bp::schema
