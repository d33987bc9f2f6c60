// One case study ("pratica"): a Markdown file with YAML front matter under
// library-content/practices/. The slug is the file name without ".md".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bp {

struct Link {
  std::string title;
  std::string url;
};

struct Contact {
  std::string name;
  std::string role;
  std::string email;
  // The editors' opt-in (`email_public: true`): only then is the e-mail shown
  // on the page and given by the API; otherwise it stays in the case file.
  bool email_public = false;
  std::string url;
};

struct Indicator {
  std::string indicator;
  std::string value;  // kept as written ("120", "35%")
  std::string unit;
};

struct Cover {
  std::string src;  // relative to the practice's media folder or file
  std::string alt;
};

struct TeachingActivity {
  std::string title;
  std::string description;
  int duration_minutes = 0;
};

// The teachers' block `didattica`.
struct Teaching {
  std::vector<std::string> levels;
  std::vector<std::string> subjects;
  std::vector<std::string> objectives;
  int duration_minutes = 0;
  std::vector<TeachingActivity> activities;
};

struct Practice {
  std::string slug;
  std::string path;  // relative to the content root, '/' separated

  // Required.
  std::string title;
  std::string summary;
  std::string hub;                      // nord | centro | sud
  std::string region;                   // region slug
  std::vector<std::string> themes;      // theme slugs
  std::vector<std::string> dimensions;  // economica | sociale | ambientale

  // Optional.
  // `in_parole_semplici`: the editors' plain-words description, a few short
  // sentences saying what the practice is as a volunteer would tell a
  // neighbour ("" when not given). Shown on the page, searchable with the
  // rest of the text; never the association's own words
  // (docs/content-guide.md).
  std::string plain_words;
  // `domande`: the questions the practice answers, in the words of the
  // people who would need it before they know it exists ("Come posso
  // portare i bambini a scuola senza la macchina?"), 3 to 10 (empty when not
  // given). Shown on the page under «Domande a cui risponde» and searched
  // as the plain words are (docs/content-guide.md).
  std::vector<std::string> questions;
  std::string city;
  std::vector<int> sdgs;
  std::string organisation;
  int year = 0;  // 0 = not given
  std::vector<std::string> audience;
  std::vector<std::string> modules;
  std::string date;  // YYYY-MM-DD or ""
  std::vector<std::string> tags;
  std::vector<Contact> contacts;
  std::vector<Link> resources;
  std::string language = "it";
  std::string status;  // in-corso | concluso | ""
  std::string transferability;  // alta | media | bassa | ""
  std::string transferability_notes;
  std::vector<Indicator> results;
  std::string license = "CC-BY-4.0";
  std::optional<Cover> cover;
  std::vector<std::string> related;  // slugs
  std::string last_reviewed;         // YYYY-MM-DD or ""
  std::optional<Teaching> didattica;

  std::string body;     // Markdown after the front matter
  int body_line = 1;    // line of the file where the body starts
  std::string content_hash;  // hex digest of the file's bytes
};

}  // namespace bp
