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

}  // namespace

void get_tutoring(Context& ctx, const Principal& who, const Req& req, Res& res) {
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
    if ((!hub.empty() && e->hub != hub) || (!state.empty() && tc.state != state)) continue;
    json assignees = json::array();
    for (const auto& s : *staff)
      if (can_follow_tutoring(s))
        assignees.push_back({{"id", s.id}, {"email", s.email}, {"selected", s.id == tc.assignee_id}});
    json states = json::array();
    for (const char* st : {"nuova", "assegnata", "conclusa"})
      states.push_back({{"value", st}, {"selected", tc.state == st}});
    rows.push_back({{"code", r.code},
                    {"name", r.erased_at.empty() ? r.first_name + " " + r.last_name : "[dati cancellati]"},
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
                    {"notes", tc.notes},
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
                       {{"section", "tutoraggio"}, {"rows", rows}, {"empty", rows.empty()}, {"hubs", hubs},
                        {"states", states}, {"saved", req.get_param_value("salvato") == "1"}});
}

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
  // Refused whole rather than cut (a cut could split a letter in two).
  if (!text::is_valid_utf8(fields["note"]) || text::code_points(fields["note"]) > kMaxTutoringNote)
    return send_staff_error(
        ctx, who, res,
        Status::invalid("la nota è troppo lunga: al massimo " + std::to_string(kMaxTutoringNote) + " caratteri"));
  c.notes = fields["note"];
  c.assignee_id = std::atoll(fields["assegnata_a"].c_str());
  std::optional<OutboxMessage> notify;
  if (c.assignee_id) {
    auto tutor = ctx.store->accounts().account_by_id(c.assignee_id);
    if (!tutor.ok() || !can_follow_tutoring(*tutor))
      return send_staff_error(ctx, who, res,
                              Status::invalid("si può assegnare solo a una persona dello staff con l'account attivo"));
    // Told once, when the request is first assigned to this person.
    if (c.state == "assegnata" && before.assignee_id != c.assignee_id && !r->email.empty())
      notify =
          tutoring_assignment_message(ctx.desk->catalogue(), ctx.desk->options().public_base_url, *r, tutor->email);
  }
  if (Status s = ctx.store->back_office().save_tutoring_case(c, notify); !s.is_ok())
    return send_staff_error(ctx, who, res, s);
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
