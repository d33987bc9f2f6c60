// The desk's rules (validation, open editions, tutoring, tokens) and the
// documents it produces (CSV, iCalendar), without HTTP.
#include "desk.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.h"

namespace bp::registration {
namespace {

using test::TempDir;
using Fields = std::map<std::string, std::string>;

class DeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto content = test::make_content(dir_.path());
    Diagnostics d;
    auto tax = Taxonomy::load(content / "taxonomy.yaml", &d);
    ASSERT_TRUE(tax);
    auto cat = load_catalogue(content / "programme.yaml", *tax, &d);
    ASSERT_TRUE(cat);
    catalogue_ = *cat;
    auto s = open_sqlite_store(dir_.path() / "data", make_composer(*cat, "https://example.org"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    std::vector<EditionSeats> seats;
    for (const auto& a : cat->activities)
      for (const auto& e : a.editions) seats.push_back({e.id, e.capacity});
    ASSERT_TRUE(store_->sync_editions(seats).is_ok());
    DeskOptions o;
    o.public_base_url = "https://example.org";
    desk_ = std::make_unique<Desk>(*cat, *tax, *store_, o);
  }

  static Fields valid(const std::string& edition = "m03-nord") {
    return {{"edition", edition},     {"first_name", "Giulia"}, {"last_name", "Ferrero"},
            {"email", "giulia@example.org"}, {"organisation", "APS Filo Verde"},
            {"role", "volontario"},   {"region", "Piemonte"},   {"age_band", "18-35"},
            {"consent", "true"},      {"privacy_version", "2026-11"}};
  }

  TempDir dir_;
  Catalogue catalogue_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Desk> desk_;
};

TEST_F(DeskTest, AValidRequestIsConfirmedWithConsentRecorded) {
  auto r = desk_->register_person(valid(), "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  const Registration& reg = r.outcome.registration;
  EXPECT_EQ(reg.status, "confirmed");
  EXPECT_EQ(reg.code.size(), 26u);  // 128 bits in base32
  EXPECT_EQ(reg.region, "piemonte");
  auto stored = store_->find(reg.code);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->consent);
  EXPECT_EQ(stored->privacy_version, "2026-12");
  EXPECT_EQ(stored->consent_at.size(), 20u);
  EXPECT_EQ(stored->token_hash.size(), 32u);
  // The token is in the answer's URL and is not stored in clear.
  const std::string url = r.outcome.answer_url;
  const std::string token = url.substr(url.find("token=") + 6);
  EXPECT_GE(token.size(), 26u);
  EXPECT_EQ(url, "https://example.org/iscrizione/" + reg.code + "?token=" + token);
  EXPECT_EQ(stored->token_hash.find(token), std::string::npos);
  EXPECT_TRUE(desk_->authorise(reg.code, token).ok());
  EXPECT_EQ(desk_->authorise(reg.code, token + "x").status().code(), Code::kNotFound);
  EXPECT_EQ(desk_->authorise(reg.code, "").status().code(), Code::kNotFound);
  EXPECT_EQ(desk_->authorise("zzzzzzzzzzzzzzzzzzzzzzzzzz", token).status().code(), Code::kNotFound);
}

TEST_F(DeskTest, EachInvalidFieldGetsAnItalianMessage) {
  Fields f = {{"edition", "m03-nord"}, {"email", "non-una-mail"}, {"role", "astronauta"},
              {"region", "Atlantide"}, {"age_band", "anziano"}, {"consent", "false"}};
  auto r = desk_->register_person(f, "");
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(r.fields["first_name"], "indica il nome");
  EXPECT_EQ(r.fields["last_name"], "indica il cognome");
  EXPECT_EQ(r.fields["email"], "indirizzo e-mail non valido: manca la @ (per esempio nome@esempio.it)");
  EXPECT_NE(r.fields["role"].find("ruolo non previsto"), std::string::npos);
  EXPECT_NE(r.fields["region"].find("regione sconosciuta"), std::string::npos);
  EXPECT_NE(r.fields["age_band"].find("fascia d'età non valida"), std::string::npos);
  EXPECT_NE(r.fields["consent"].find("informativa"), std::string::npos);
  EXPECT_TRUE(store_->list("")->empty());
  // An address without its ending says which part is missing.
  f["email"] = "maria.lopez@gmail";
  EXPECT_EQ(desk_->register_person(f, "").fields["email"],
            "indirizzo e-mail non valido: dopo «@gmail» manca la parte finale (per esempio «@gmail.com» o "
            "«@gmail.it»)");
  // A comma where the dot goes (next to each other on a phone's keyboard)
  // is said as such, with the address it probably is.
  f["email"] = "giovanna.bianchi@gmail,com";
  EXPECT_EQ(desk_->register_person(f, "").fields["email"],
            "indirizzo e-mail non valido: c'è una virgola al posto del punto (forse «giovanna.bianchi@gmail.com»?)");
  f["email"] = "giovanna,bianchi@gmail,com";
  EXPECT_NE(desk_->register_person(f, "").fields["email"].find("«giovanna.bianchi@gmail.com»"), std::string::npos);
}

// Each name field says which name it is.
TEST_F(DeskTest, ANameWithoutLettersSaysWhichName) {
  Fields f = valid();
  f["first_name"] = "123";
  f["last_name"] = "---";
  f["age_band"] = "under-14";
  f["guardian_consent"] = "on";
  f["guardian_name"] = "42";
  auto r = desk_->register_person(f, "");
  EXPECT_EQ(r.fields["first_name"], "il nome deve contenere almeno una lettera");
  EXPECT_EQ(r.fields["last_name"], "il cognome deve contenere almeno una lettera");
  EXPECT_EQ(r.fields["guardian_name"], "il nome del genitore o tutore deve contenere almeno una lettera");
}

TEST_F(DeskTest, UnknownEditionAndControlCharactersAreRefused) {
  Fields f = valid("non-esiste");
  f["first_name"] = "Giu\x01lia";
  auto r = desk_->register_person(f, "");
  EXPECT_NE(r.fields["edition"].find("edizione sconosciuta"), std::string::npos);
  EXPECT_NE(r.fields["first_name"].find("caratteri di controllo"), std::string::npos);
  f = valid();
  f["notes"] = std::string(3000, 'a');
  EXPECT_NE(desk_->register_person(f, "").fields["notes"].find("troppo lungo"), std::string::npos);
}

// The limits count characters, as the form's maxlength does: 150 accented
// letters (300 bytes) are a name under 200 characters.
TEST_F(DeskTest, TextLimitsCountCharactersNotBytes) {
  Fields f = valid();
  std::string name;
  for (int i = 0; i < 150; ++i) name += "\u00e8";
  f["first_name"] = name;
  std::string notes;
  for (int i = 0; i < 1500; ++i) notes += "\u00e0";
  f["notes"] = notes;
  auto r = desk_->register_person(f, "");
  EXPECT_TRUE(r.fields.empty()) << r.fields.begin()->second;
  name += std::string(51, 'a');
  f["first_name"] = name;
  f["email"] = "anna@example.org";
  EXPECT_NE(desk_->register_person(f, "").fields["first_name"].find("troppo lungo"), std::string::npos);
}

TEST_F(DeskTest, UnderFourteenNeedsTheGuardiansConsentAndName) {
  Fields f = valid();
  f["age_band"] = "under-14";
  auto r = desk_->register_person(f, "");
  EXPECT_NE(r.fields["guardian_consent"].find("genitore"), std::string::npos);
  EXPECT_NE(r.fields["guardian_name"].find("genitore"), std::string::npos);
  f["guardian_consent"] = "on";
  f["guardian_name"] = "Anna Ferrero";
  r = desk_->register_person(f, "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  auto stored = store_->find(r.outcome.registration.code);
  EXPECT_TRUE(stored->guardian_consent);
  EXPECT_EQ(stored->guardian_name, "Anna Ferrero");
}

TEST_F(DeskTest, PastLateAndClosedEditionsAreRefusedWithAClearMessage) {
  auto past = desk_->register_person(valid("past"), "");
  EXPECT_NE(past.fields["edition"].find("si è già conclusa"), std::string::npos) << past.fields["edition"];
  auto late = desk_->register_person(valid("late"), "");
  EXPECT_EQ(late.fields["edition"], "le iscrizioni si sono chiuse il 27 febbraio 2020");
  auto closed = desk_->register_person(valid("closed"), "");
  EXPECT_EQ(closed.fields["edition"], "le iscrizioni a questa edizione sono chiuse");
  EXPECT_TRUE(store_->list("")->empty());
}

TEST_F(DeskTest, ATutoringRequestGoesToTheTutoringEditionOfTheRegionsHub) {
  Fields f = valid();
  f.erase("edition");
  f["region"] = "Puglia";
  f["topic"] = "decarbonizzazione";
  f["needs"] = "Vorremmo ridurre i consumi della sede.";
  auto r = desk_->register_person(f, "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  EXPECT_EQ(r.outcome.registration.edition_id, "tutoraggio-sud");
  EXPECT_EQ(store_->find(r.outcome.registration.code)->topic, "decarbonizzazione");
  // Topic outside the list, and no needs.
  f["email"] = "altra@example.org";
  f["topic"] = "astrologia";
  f["needs"] = "";
  auto bad = desk_->register_person(f, "");
  EXPECT_EQ(bad.fields["topic"], "argomento non previsto per il tutoraggio");
  // No tutoring edition for the centro hub in the test programme.
  f["region"] = "Umbria";
  f["topic"] = "decarbonizzazione";
  f["needs"] = "x";
  EXPECT_NE(desk_->register_person(f, "").fields["edition"].find("non è disponibile"), std::string::npos);
  // Neither edition nor topic.
  Fields none = valid();
  none.erase("edition");
  EXPECT_NE(desk_->register_person(none, "").fields["edition"].find("scegli un'edizione"), std::string::npos);
}

TEST_F(DeskTest, TheFormsKindFieldDecidesBetweenEditionAndTutoring) {
  // A form without JavaScript sends every field: `kind` says which part counts.
  Fields f = valid("m03-nord");
  f["kind"] = "tutoring";
  f["topic"] = "decarbonizzazione";
  f["needs"] = "Aiuto per la diagnosi energetica.";
  auto r = desk_->register_person(f, "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  EXPECT_EQ(r.outcome.registration.edition_id, "tutoraggio-nord");
  f["kind"] = "edition";
  f["email"] = "altra@example.org";
  r = desk_->register_person(f, "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  EXPECT_EQ(r.outcome.registration.edition_id, "m03-nord");
  EXPECT_TRUE(store_->find(r.outcome.registration.code)->topic.empty());
  f["kind"] = "tutoring";
  f["topic"] = "";
  f["email"] = "terza@example.org";
  EXPECT_EQ(desk_->register_person(f, "").fields["topic"], "indica l'argomento del tutoraggio");
  // Nothing but the kind: the errors name the tutoring's own fields, never
  // the edition (hidden on the tutoring form).
  Fields bare;
  bare["kind"] = "tutoring";
  const auto fields = desk_->register_person(bare, "").fields;
  EXPECT_EQ(fields.count("edition"), 0u);
  EXPECT_EQ(fields.at("topic"), "indica l'argomento del tutoraggio");
}

TEST_F(DeskTest, RegionsByNameOrSlugAndRolesBySlug) {
  Fields f = valid();
  f["region"] = "valle d'aosta";
  f["role"] = "rappresentante-del-terzo-settore";
  auto r = desk_->register_person(f, "");
  ASSERT_TRUE(r.status.is_ok()) << r.status.message();
  EXPECT_EQ(r.outcome.registration.region, "valle-d-aosta");
  EXPECT_EQ(r.outcome.registration.role, "rappresentante del terzo settore");
}

TEST_F(DeskTest, TheHoneypotPretendsSuccessAndStoresNothing) {
  Fields f = valid();
  f["website"] = "http://spam.example";
  auto r = desk_->register_person(f, "");
  EXPECT_TRUE(r.status.is_ok());
  EXPECT_TRUE(r.honeypot);
  EXPECT_EQ(r.outcome.registration.status, "confirmed");
  EXPECT_TRUE(store_->list("")->empty());
}

TEST_F(DeskTest, CancelNeedsTheRightToken) {
  auto r = desk_->register_person(valid(), "");
  const std::string url = r.outcome.answer_url;
  const std::string token = url.substr(url.find("token=") + 6);
  EXPECT_EQ(desk_->cancel(r.outcome.registration.code, "sbagliato").status().code(), Code::kNotFound);
  auto c = desk_->cancel(r.outcome.registration.code, token);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, "cancelled");
}

// Once an edition has begun, a confirmed seat is the programme's record (the
// meetings held, the attendance, the funder's count) and could go to
// nobody: the person can no longer cancel it. A tutoring request stays
// cancellable while its period lasts.
TEST_F(DeskTest, AConfirmedSeatIsNotCancelledOnceTheEditionHasBegun) {
  auto course = desk_->register_person(valid(), "");
  ASSERT_TRUE(course.status.is_ok()) << course.status.message();
  Fields f = valid();
  f.erase("edition");
  f["email"] = "tutor@example.org";
  f["region"] = "Puglia";
  f["topic"] = "decarbonizzazione";
  f["needs"] = "Vorremmo ridurre i consumi della sede.";
  auto tutoring = desk_->register_person(f, "");
  ASSERT_TRUE(tutoring.status.is_ok()) << tutoring.status.message();
  const auto token_of = [](const RegisterOutcome& o) { return o.answer_url.substr(o.answer_url.find("token=") + 6); };
  const Edition* e = catalogue_.edition("m03-nord");
  const Edition* t = catalogue_.edition("tutoraggio-sud");
  ASSERT_TRUE(e && t && !e->sessions.empty());
  const auto desk_at = [&](std::int64_t when) {
    DeskOptions o;
    o.public_base_url = "https://example.org";
    o.clock = [when] { return when; };
    return std::make_unique<Desk>(catalogue_, desk_->taxonomy(), *store_, o);
  };

  auto during = desk_at(e->sessions.front().start_utc + 60);
  const std::string why = during->cancel_refusal(course.outcome.registration);
  EXPECT_NE(why.find("questa edizione è iniziata"), std::string::npos) << why;
  EXPECT_NE(why.find("non si annulla più"), std::string::npos) << why;
  auto refused = during->cancel(course.outcome.registration.code, token_of(course.outcome));
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(store_->find(course.outcome.registration.code)->status, "confirmed");
  auto after = desk_at(e->end_utc + 60);
  EXPECT_NE(after->cancel_refusal(course.outcome.registration).find("si è conclusa"), std::string::npos);

  // Tutoring: while its period lasts, yes; after it, no.
  EXPECT_EQ(desk_at(t->end_utc - 60)->cancel_refusal(tutoring.outcome.registration), "");
  EXPECT_NE(desk_at(t->end_utc + 60)->cancel_refusal(tutoring.outcome.registration).find("tutoraggio"),
            std::string::npos);
  // Before the first meeting, as always.
  auto before = desk_at(e->sessions.front().start_utc - 3600);
  ASSERT_TRUE(before->cancel(course.outcome.registration.code, token_of(course.outcome)).ok());
  EXPECT_EQ(store_->find(course.outcome.registration.code)->status, "cancelled");
}

TEST_F(DeskTest, ConfirmationMessageIsItalianAndCarriesThePersonalLink) {
  auto r = desk_->register_person(valid(), "");
  auto msgs = store_->messages_for(store_->find(r.outcome.registration.code)->id);
  ASSERT_EQ(msgs->size(), 1u);
  const OutboxMessage& m = (*msgs)[0];
  EXPECT_EQ(m.recipient, "giulia@example.org");
  EXPECT_EQ(m.subject, "Iscrizione confermata: Consumo responsabile e gruppi di acquisto solidale");
  EXPECT_NE(m.body.find("Ciao Giulia"), std::string::npos);
  EXPECT_NE(m.body.find(r.outcome.answer_url), std::string::npos);
  // The person's own calendar, with the meetings' links.
  EXPECT_NE(m.body.find("Calendario (.ics): https://example.org/api/registrations/" + r.outcome.registration.code +
                        "/calendar.ics?key=" + calendar_key(*store_->find(r.outcome.registration.code)) + "\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("dal 2 marzo 2099, ore 17:00"), std::string::npos);
  // The meetings, with weekday and times, before the day comes.
  EXPECT_NE(m.body.find("Incontri (ora italiana):\n- lunedì 2 marzo 2099, ore 17:00–19:00, collegamento: "
                        "https://meet.example.org/m03-nord\n- lunedì 9 marzo 2099, ore 17:00–19:00\n"),
            std::string::npos)
      << m.body;
}

// The online links go to the people with a place: a person on the waiting
// list is told that they will get them, not sent them.
TEST_F(DeskTest, TheMeetingsLinksAreSentOnlyToPeopleWithAPlace) {
  Registration r;
  r.code = "abc";
  r.edition_id = "m03-nord";
  r.email = "giulia@example.org";
  r.first_name = "Giulia";
  r.token = "tok";
  auto body = [&](const std::string& status) {
    Registration copy = r;
    copy.status = status;
    return make_composer(catalogue_, "https://example.org")(
               status == "waitlisted" ? MessageKind::kWaitlisted : MessageKind::kConfirmed, copy)
        .body;
  };
  const std::string placed = body("confirmed");
  EXPECT_NE(placed.find("collegamento: https://meet.example.org/m03-nord\n"), std::string::npos) << placed;
  // A hold not yet confirmed (the address not checked) neither.
  const std::string held = body("pending");
  EXPECT_EQ(held.find("meet.example.org"), std::string::npos) << held;
  EXPECT_NE(held.find("quando avrai confermato l'iscrizione"), std::string::npos) << held;
  const std::string waiting = body("waitlisted");
  EXPECT_EQ(waiting.find("meet.example.org"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find("Dove: online (se si libera un posto per te, riceverai il link di collegamento prima "
                         "dell'inizio)\n"),
            std::string::npos)
      << waiting;
  EXPECT_EQ(waiting.find("calendar.ics"), std::string::npos) << waiting;
}

// A place (or a waiting place) in an edition that has ended holds nobody:
// the same person registers for the activity's next edition.
TEST_F(DeskTest, AnEndedEditionHoldsNoPlaceInItsActivity) {
  DeskOptions o;
  o.public_base_url = "https://example.org";
  o.clock = [] { return std::int64_t{1580515200}; };  // 1 February 2020: «past» takes registrations
  Desk back_then(catalogue_, desk_->taxonomy(), *store_, o);
  ASSERT_TRUE(back_then.register_person(valid("past"), "").status.is_ok());
  auto next = desk_->register_person(valid("m03-nord"), "");
  EXPECT_TRUE(next.status.is_ok()) << next.status.message();
  // Not so while it runs: another hub's edition of the same module is refused.
  auto again = desk_->register_person(valid("thirty"), "");
  EXPECT_EQ(again.status.code(), Code::kConflict);
  // Every caller (register, confirm, the staff's «Conferma», corrections)
  // meets the rule in one place: the ended edition has no siblings to
  // check, a running one has those that have not ended.
  EXPECT_TRUE(desk_->sibling_editions("past").empty());
  const auto running = desk_->sibling_editions("m03-nord");
  EXPECT_NE(std::find(running.begin(), running.end(), "thirty"), running.end());
  EXPECT_EQ(std::find(running.begin(), running.end(), "past"), running.end());
}

// The staff correct both registrations of one person onto the address
// they use now: the ended edition's (attendance, certificate) meets no
// place in the activity, in either order (a reviewer's finding: corrected
// second, it was refused over the person's own current registration).
TEST_F(DeskTest, AnEndedEditionsRegistrationIsCorrectedOntoThePersonsAddress) {
  DeskOptions o;
  o.public_base_url = "https://example.org";
  o.clock = [] { return std::int64_t{1580515200}; };  // 1 February 2020: «past» takes registrations
  Desk back_then(catalogue_, desk_->taxonomy(), *store_, o);
  auto old = back_then.register_person(valid("past"), "");
  ASSERT_TRUE(old.status.is_ok()) << old.status.message();
  auto now = desk_->register_person(valid("m03-nord"), "");
  ASSERT_TRUE(now.status.is_ok()) << now.status.message();
  std::map<std::string, std::string> fields = {
      {"first_name", "Giulia"},           {"last_name", "Ferrero"}, {"email", "giulia.ferrero@example.org"},
      {"organisation", "APS Filo Verde"}, {"role", "volontario"},   {"region", "Piemonte"}};
  FieldErrors errors;
  auto current = desk_->correct_contact(now.outcome.registration.code, fields, &errors);
  ASSERT_TRUE(current.ok()) << current.status().message();
  auto ended = desk_->correct_contact(old.outcome.registration.code, fields, &errors);
  ASSERT_TRUE(ended.ok()) << ended.status().message();
  EXPECT_EQ(store_->find(old.outcome.registration.code)->email, "giulia.ferrero@example.org");
}

// The messages' way back to the form opens the right form: a cancelled
// tutoring request the tutoring request, not a calendar it is not in.
TEST_F(DeskTest, MessagesLeadBackToTheFormOfTheirKind) {
  Registration r;
  r.code = "abc";
  r.email = "giulia@example.org";
  r.first_name = "Giulia";
  r.status = "cancelled";
  auto body = [&](const std::string& edition) {
    Registration copy = r;
    copy.edition_id = edition;
    return make_composer(catalogue_, "https://example.org")(MessageKind::kCancelled, copy).body;
  };
  const std::string tutoring = body("tutoraggio-nord");
  EXPECT_NE(tutoring.find("https://example.org/programma?tutoraggio=1#iscrizione\n"), std::string::npos) << tutoring;
  EXPECT_EQ(tutoring.find("edizione="), std::string::npos) << tutoring;
  const std::string course = body("m03-nord");
  EXPECT_NE(course.find("https://example.org/programma?edizione=m03-nord#iscrizione\n"), std::string::npos) << course;
  EXPECT_EQ(form_path(catalogue_, "sconosciuta"), "/programma#iscrizione");
}

// An online edition whose links are not out yet: a seat-holder is promised
// the link before the start; a waiting person only if a seat frees up.
TEST_F(DeskTest, AWaitingPersonIsPromisedTheLinkOnlyWithASeat) {
  auto f = valid("small");
  for (const char* who : {"a", "b", "c"}) {
    f["email"] = std::string(who) + "@example.org";
    ASSERT_TRUE(desk_->register_person(f, "").status.is_ok());
  }
  auto body_of = [&](const std::string& email) {
    const auto rows = store_->list("small");
    for (const auto& r : *rows)
      if (r.email == email) {
        const auto msgs = store_->messages_for(r.id);
        return msgs->at(0).body;
      }
    return std::string();
  };
  EXPECT_NE(body_of("a@example.org").find("Dove: online (riceverai il link di collegamento prima dell'inizio)\n"),
            std::string::npos);
  const std::string waiting = body_of("c@example.org");
  EXPECT_NE(waiting.find("i posti sono esauriti"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find("Dove: online (se si libera un posto per te, riceverai il link di collegamento prima "
                         "dell'inizio)\n"),
            std::string::npos)
      << waiting;
}

// In person: the messages' «Dove» says the city and where the venue is
// told: the list of meetings above when the editors gave every meeting its
// place, those that have one, or that it will come before the start.
TEST_F(DeskTest, AnInPersonEditionsMessageSaysWhereTheVenueIs) {
  Registration r;
  r.code = "abc";
  r.edition_id = "residenza-lecce-2099";
  r.status = "confirmed";
  r.email = "giulia@example.org";
  r.first_name = "Giulia";
  auto body = [&](const Catalogue& cat, const std::string& status) {
    Registration copy = r;
    copy.status = status;
    return make_composer(cat, "https://example.org")(
               status == "waitlisted" ? MessageKind::kWaitlisted : MessageKind::kConfirmed, copy)
        .body;
  };
  const std::string some = body(catalogue_, "confirmed");
  EXPECT_NE(some.find(", Casa delle associazioni, via di Prova 1\n"), std::string::npos) << some;
  EXPECT_NE(some.find("Dove: Lecce (nell'elenco qui sopra, il luogo degli incontri che ce l'hanno già)\n"),
            std::string::npos)
      << some;

  Catalogue none = catalogue_, all = catalogue_;
  for (Catalogue* cat : {&none, &all})
    for (auto& a : cat->activities)
      for (auto& e : a.editions)
        if (e.id == r.edition_id)
          for (auto& s : e.sessions) s.place = cat == &all ? "Officine Cantelmo, viale Cavallotti" : "";
  EXPECT_NE(body(all, "confirmed").find("Dove: Lecce (il luogo di ogni incontro è nell'elenco qui sopra)\n"),
            std::string::npos);
  EXPECT_NE(body(none, "confirmed").find("Dove: Lecce (il luogo preciso ti sarà comunicato prima dell'inizio)\n"),
            std::string::npos)
      << body(none, "confirmed");
  EXPECT_NE(body(none, "waitlisted")
                .find("Dove: Lecce (se si libera un posto per te, il luogo preciso ti sarà comunicato prima "
                      "dell'inizio)\n"),
            std::string::npos)
      << body(none, "waitlisted");
}

// The staff's message to an edition: each person's copy says why they get
// it; a pending one says until when to confirm, and with which link.
TEST_F(DeskTest, AStaffMessagesCopySaysWhyAndAPendingOneUntilWhen) {
  Registration r;
  r.code = "abc";
  r.edition_id = "m03-nord";
  r.first_name = "Ali";
  r.email = "ali@example.org";
  r.status = "pending";
  r.hold_expires_at = 4076146800;  // 2099-03-02T15:00:00Z
  auto copy = edition_message_copy(catalogue_, "https://example.org", "Cambio aula", "Aula 3.", r);
  EXPECT_EQ(copy.subject, "Cambio aula – Consumo responsabile e gruppi di acquisto solidale");
  EXPECT_NE(copy.body.find("Ciao Ali,\n\nAula 3.\n\nTi scriviamo perché ti sei iscritta o iscritto all'attività "
                           "«Consumo responsabile e gruppi di acquisto solidale», ma l'iscrizione aspetta ancora la "
                           "tua conferma, fino al 2 marzo 2099, ore 16:00 (ora italiana): apri il link di conferma "
                           "che ti abbiamo mandato per e-mail."),
            std::string::npos)
      << copy.body;
  r.status = "waitlisted";
  copy = edition_message_copy(catalogue_, "https://example.org", "Cambio aula", "Aula 3.", r);
  EXPECT_NE(copy.body.find("perché sei in lista d'attesa per l'attività «Consumo"), std::string::npos) << copy.body;
}

TEST_F(DeskTest, AStaffMessageIsCheckedFieldByFieldAndPastedMarksGo) {
  EditionMessage m;
  m.statuses = {"confirmed"};
  m.subject = "Cambio\r\nBcc: x@example.org";
  m.body = "Ciao a tutte\xC2\xAD e a tutti \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB\r\nA presto";
  FieldErrors errors;
  EXPECT_FALSE(desk_->check_edition_message(&m, &errors));
  EXPECT_EQ(errors, (FieldErrors{{"subject", "l'oggetto deve stare su una riga, senza caratteri di controllo"}}));
  EXPECT_EQ(m.subject, "Cambio  Bcc: x@example.org") << "the break is not shown again";
  EXPECT_EQ(m.body, "Ciao a tutte e a tutti \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB\nA presto")
      << "a soft hyphen goes, an emoji with its joiner stays";
  m.subject = std::string(151, 'x');
  m.body = std::string(10001, 'y');
  m.statuses = {"cancelled"};
  errors.clear();
  EXPECT_FALSE(desk_->check_edition_message(&m, &errors));
  EXPECT_EQ(errors, (FieldErrors{{"subject", "oggetto troppo lungo (al massimo 150 caratteri)"},
                                 {"body", "testo troppo lungo (al massimo 10.000 caratteri)"},
                                 {"statuses", "destinatari non validi: scegli tra quelli elencati"}}));
  m.subject = "Cambio aula";
  m.body = "  Aula 3.  ";
  m.statuses = {"confirmed", "waitlisted"};
  errors.clear();
  EXPECT_TRUE(desk_->check_edition_message(&m, &errors));
  EXPECT_EQ(m.body, "Aula 3.");
}

TEST(Documents, CsvHasBomSemicolonsQuotingAndNoFormulas) {
  Catalogue cat;
  Registration r;
  r.code = "abc";
  r.status = "confirmed";
  r.edition_id = "e1";
  r.first_name = "=HYPERLINK(\"http://evil\")";
  r.last_name = "D'Angelò; \"Nino\"";
  r.organisation = "+39 coop\nseconda riga";
  r.notes = "@SUM(A1)";
  r.role = "-2";
  const std::string csv = registrations_csv({r}, cat);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::string body = csv.substr(3);
  EXPECT_EQ(body.substr(0, body.find("\r\n")).substr(0, 28), "code;status;position;edition");
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos);
  EXPECT_NE(csv.find("\"D'Angelò; \"\"Nino\"\"\""), std::string::npos);
  EXPECT_NE(csv.find("\"'+39 coop\nseconda riga\""), std::string::npos);
  EXPECT_NE(csv.find(";'@SUM(A1);"), std::string::npos);
  EXPECT_NE(csv.find(";'-2;"), std::string::npos);
}

TEST_F(DeskTest, IcsHasOneEventPerMeetingInUtc) {
  const Edition* e = catalogue_.edition("m03-nord");
  const Activity* a = catalogue_.activity_of(*e);
  const std::string ics = edition_ics(*a, *e, "https://example.org", 1795000000, true);
  EXPECT_EQ(ics.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_NE(ics.find("DTSTAMP:20261118T"), std::string::npos) << "when the file was made";
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = ics.find(what); p != std::string::npos; p = ics.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("BEGIN:VEVENT\r\n"), 4u);
  // Four two-hour meetings, a week apart, not one block of three weeks.
  EXPECT_NE(ics.find("DTSTART:20990302T160000Z\r\nDTEND:20990302T180000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART:20990309T160000Z\r\nDTEND:20990309T180000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART:20990323T160000Z\r\nDTEND:20990323T180000Z\r\n"), std::string::npos);
  EXPECT_EQ(ics.find("DTEND:20990323T180000Z\r\nSUMMARY:Consumo responsabile e gruppi di acquisto solidale\r\n"),
            std::string::npos);
  for (int i = 1; i <= 4; ++i)
    EXPECT_EQ(count("UID:m03-nord-" + std::to_string(i) + "@example.org\r\n"), 1u) << i;
  std::string unfolded = ics;  // long lines are folded at 75 octets
  for (std::size_t p; (p = unfolded.find("\r\n ")) != std::string::npos;) unfolded.erase(p, 3);
  EXPECT_NE(unfolded.find("SUMMARY:Consumo responsabile e gruppi di acquisto solidale (incontro 1 di 4)\r\n"),
            std::string::npos);
  EXPECT_NE(ics.find("URL:https://meet.example.org/m03-nord\r\n"), std::string::npos);
  // The public calendar has no links: they are for the people with a place.
  const std::string open = edition_ics(*a, *e, "https://example.org", 1795000000, false);
  EXPECT_EQ(open.find("meet.example.org"), std::string::npos) << open;
  EXPECT_NE(open.find("URL:https://example.org/programma\r\n"), std::string::npos) << open;
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  for (std::size_t p = 0, q; (q = ics.find("\r\n", p)) != std::string::npos; p = q + 2)
    EXPECT_LE(q - p, 75u);
}

TEST_F(DeskTest, OnlyDatedMeetingsWithASeatHeldOrAwaitedAreOfferedACalendar) {
  // On-request tutoring has no dates: an event over its whole period would
  // mark the person busy for months.
  EXPECT_FALSE(has_calendar(*catalogue_.edition("tutoraggio-nord")));
  const Edition* e = catalogue_.edition("m03-nord");
  EXPECT_TRUE(has_calendar(*e));
  for (const char* status : {"pending", "confirmed"}) EXPECT_TRUE(calendar_for(*e, status)) << status;
  for (const char* status : {"waitlisted", "cancelled", "expired"}) EXPECT_FALSE(calendar_for(*e, status)) << status;
}

}  // namespace
}  // namespace bp::registration
