// The tutoring inbox (nuova → assegnata → conclusa, the requester told by
// the outbox when assigned) and the messages screen (pending and failed
// deliveries, "riprova ora").
#include "bp/civil_time.h"
#include "bp/text.h"
#include "staff_pages.h"

namespace bp::registration {

namespace {

using nlohmann::json;

// The staff's note on a tutoring request, in characters (the textarea's
// maxlength).
constexpr std::size_t kMaxTutoringNote = 2000;

// Who may follow a tutoring request: an active account of the staff or an
// admin (the editors look after the library only).
bool can_follow_tutoring(const Account& a) { return !a.disabled && a.role != Role::kEditor; }

// A save the page refused: the request's card shows `message` beside its
// form, with what was typed kept (state, assignee, note).
struct RefusedSave {
  std::string code, message, state, notes;
  std::int64_t assignee_id = 0;
};

void tutoring_page(Context& ctx, const Principal& who, const Req& req, Res& res, const RefusedSave* refused);

}  // namespace

void get_tutoring(Context& ctx, const Principal& who, const Req& req, Res& res) {
  tutoring_page(ctx, who, req, res, nullptr);
}

namespace {

void tutoring_page(Context& ctx, const Principal& who, const Req& req, Res& res, const RefusedSave* refused) {
  const Catalogue& cat = ctx.desk->catalogue();
  const Taxonomy& tax = ctx.desk->taxonomy();
  auto all = ctx.store->list("");
  if (!all.ok()) return send_staff_error(ctx, who, res, all.status());
  auto cases = ctx.store->back_office().tutoring_cases();
  if (!cases.ok()) return send_staff_error(ctx, who, res, cases.status());
  auto staff = ctx.store->accounts().list_accounts();
  if (!staff.ok()) return send_staff_error(ctx, who, res, staff.status());
  const std::string hub = req.get_param_value("hub"), state = req.get_param_value("stato");
  json rows = json::array();
  for (const auto& r : *all) {
    const Edition* e = cat.edition(r.edition_id);
    const Activity* a = e ? cat.activity_of(*e) : nullptr;
    if (!a || a->kind != "tutoraggio" || r.status == "cancelled" || r.status == "expired") continue;
    // Erased before the person confirmed it: nobody to answer, and it
    // would only lapse.
    if (!r.erased_at.empty() && r.status == "pending") continue;
    auto c = cases->find(r.id);
    const TutoringCase tc = c == cases->end() ? TutoringCase{} : c->second;
    const bool mine = refused != nullptr && refused->code == r.code;
    if (!mine && ((!hub.empty() && e->hub != hub) || (!state.empty() && tc.state != state))) continue;
    // As typed when this card's save was refused, else as stored.
    const std::int64_t chosen = mine ? refused->assignee_id : tc.assignee_id;
    const std::string chosen_state = mine ? refused->state : tc.state;
    json assignees = json::array();
    bool gone = false;  // the one following it can no longer (account disabled, or now an editor)
    for (const auto& s : *staff) {
      const bool current = s.id == tc.assignee_id;
      if (!can_follow_tutoring(s) && !current) continue;
      gone = gone || (current && !can_follow_tutoring(s));
      assignees.push_back({{"id", s.id},
                           {"email", can_follow_tutoring(s) ? s.email : s.email + " (account non attivo)"},
                           {"selected", s.id == chosen}});
    }
    json states = json::array();
    for (const char* st : {"nuova", "assegnata", "conclusa"})
      states.push_back({{"value", st}, {"selected", chosen_state == st}});
    rows.push_back({{"code", r.code},
                    {"name", staff_view::person_name(r)},
                    {"hub", tax.label("hub", e->hub)},
                    {"topic", tax.label("theme", r.topic)},
                    {"needs", r.needs},
                    {"organisation", r.organisation.empty() ? json(false) : json(r.organisation)},
                    // Whom to write to, and whether the person has confirmed
                    // the request yet (an unconfirmed one lapses by itself).
                    {"email", r.erased_at.empty() ? r.email : ""},
                    {"unconfirmed", r.status == "pending"},
                    {"created", rome_short(r.created_at)},
                    {"state", tc.state},
                    {"assignee", tc.assignee_email},
                    {"assignee_gone", gone && tc.state != "conclusa"},
                    {"notes", mine ? refused->notes : tc.notes},
                    {"error", mine ? refused->message : ""},
                    {"assignees", assignees},
                    {"states", states}});
  }
  json hubs = json::array();
  if (const Vocabulary* v = tax.vocabulary("hub"))
    for (const Term& t : v->terms) hubs.push_back({{"value", t.slug}, {"label", t.label}, {"selected", t.slug == hub}});
  json states = json::array();
  for (const char* st : {"nuova", "assegnata", "conclusa"}) states.push_back({{"value", st}, {"selected", state == st}});
  audit(ctx, who, req, "list", "tutoraggio", "richieste di tutoraggio");
  ctx.guard->send_page(who, res, "staff_tutoring", "Richieste di tutoraggio",
                       {{"section", "tutoraggio"},
                        {"rows", rows},
                        {"empty", rows.empty()},
                        {"hubs", hubs},
                        {"states", states},
                        {"saved", req.get_param_value("salvato") == "1"}},
                       refused ? 400 : 200);
}

}  // namespace

void post_tutoring(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  const Edition* e = ctx.desk->catalogue().edition(r->edition_id);
  const Activity* a = e ? ctx.desk->catalogue().activity_of(*e) : nullptr;
  if (!a || a->kind != "tutoraggio")
    return send_staff_error(ctx, who, res, Status::invalid("non è una richiesta di tutoraggio"));
  auto fields = http::form_fields(req);
  auto cases = ctx.store->back_office().tutoring_cases();
  if (!cases.ok()) return send_staff_error(ctx, who, res, cases.status());
  const auto before = cases->count(r->id) ? cases->at(r->id) : TutoringCase{};
  TutoringCase c;
  c.registration_id = r->id;
  c.state = fields["stato"];
  c.notes = fields["note"];
  c.assignee_id = std::atoll(fields["assegnata_a"].c_str());
  // Choosing who follows a new request is assigning it: "nuova" with
  // someone named would leave the requester untold.
  if (c.assignee_id && c.state == "nuova") c.state = "assegnata";
  // A refusal is said on the card, with what was typed kept.
  auto refuse = [&](const std::string& message) {
    RefusedSave refused{r->code, text::sentence(message), c.state, c.notes, c.assignee_id};
    if (!text::is_valid_utf8(refused.notes)) refused.notes.clear();
    tutoring_page(ctx, who, req, res, &refused);
  };
  // The person's data are erased: the case still moves (it counts), but no
  // new words about the person are kept.
  if (!r->erased_at.empty() && !text::trim(c.notes).empty())
    return refuse("i dati personali di questa persona sono stati cancellati: la nota non si può salvare");
  // Refused whole rather than cut (a cut could split a letter in two).
  if (!text::is_valid_utf8(c.notes) || text::code_points(c.notes) > kMaxTutoringNote)
    return refuse("la nota è troppo lunga: al massimo " + std::to_string(kMaxTutoringNote) + " caratteri");
  std::optional<OutboxMessage> notify;
  if (c.assignee_id) {
    auto tutor = ctx.store->accounts().account_by_id(c.assignee_id);
    // Whoever follows it already may stay while their account is off (the
    // note can still be saved); a new assignee must be able to follow it.
    const bool kept = c.assignee_id == before.assignee_id;
    if (!tutor.ok() || (!kept && !can_follow_tutoring(*tutor)))
      return refuse("si può assegnare solo a una persona dello staff con l'account attivo");
    // Told once, when the request is first assigned to this person (also
    // when it was saved as "nuova" with them named before).
    if (c.state == "assegnata" && (before.assignee_id != c.assignee_id || before.state == "nuova") && !r->email.empty())
      notify =
          tutoring_assignment_message(ctx.desk->catalogue(), ctx.desk->options().public_base_url, *r, tutor->email);
  }
  if (Status s = ctx.store->back_office().save_tutoring_case(c, notify); !s.is_ok())
    return s.code() == Code::kInvalidArgument ? refuse(s.message()) : send_staff_error(ctx, who, res, s);
  if (notify && ctx.worker) ctx.worker->notify();
  audit(ctx, who, req, "tutoring", r->code,
        "stato " + c.state + (c.assignee_id ? ", assegnata" : "") + (notify ? ", richiedente avvisata" : ""));
  redirect(res, "/staff/tutoraggio?salvato=1");
}

void get_messages(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto messages = ctx.store->outbox(true, 500);
  if (!messages.ok()) return send_staff_error(ctx, who, res, messages.status());
  json pending = json::array(), failed = json::array();
  for (const auto& m : *messages) {
    json j = {{"id", m.id},
              {"to", m.recipient},
              {"subject", m.subject},
              {"created", rome_short(m.created_at)},
              {"attempts", m.attempts},
              {"error", m.last_error},
              {"next", m.next_attempt_at ? rome_short(utc_iso(m.next_attempt_at)) : ""}};
    (m.last_error.empty() ? pending : failed).push_back(j);
  }
  audit(ctx, who, req, "outbox", "messaggi", "messaggi non consegnati");
  ctx.guard->send_page(who, res, "staff_messages", "Messaggi",
                       {{"section", "messaggi"}, {"pending", pending}, {"failed", failed},
                        {"no_pending", pending.empty()}, {"no_failed", failed.empty()},
                        {"retried", req.get_param_value("riprova") == "1"},
                        {"mail_off", ctx.options.mail_command.empty()}});
}

void post_message_retry(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::int64_t id = std::atoll(req.matches[1].str().c_str());
  if (Status s = ctx.store->back_office().retry_message(id); !s.is_ok()) return send_staff_error(ctx, who, res, s);
  if (ctx.worker) ctx.worker->notify();
  audit(ctx, who, req, "message_retry", "messaggio " + std::to_string(id), "riprova ora");
  redirect(res, "/staff/messaggi?riprova=1");
}

}  // namespace bp::registration
