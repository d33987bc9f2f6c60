// The edition screen: registrants, attendance per meeting, cancellation with
// the promoted person, the Italian CSV and the printable sign-in sheet.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "staff_pages.h"
#include "store_rules.h"

namespace bp::registration {

namespace {

using nlohmann::json;

struct EditionRef {
  const Edition* edition = nullptr;
  const Activity* activity = nullptr;
};

EditionRef edition_of(Context& ctx, const std::string& id) {
  EditionRef ref;
  ref.edition = ctx.desk->catalogue().edition(id);
  if (ref.edition) ref.activity = ctx.desk->catalogue().activity_of(*ref.edition);
  return ref;
}

// An edition with its registrations and the meetings each attended.
struct EditionData {
  EditionRef ref;
  std::vector<Registration> rows;
  std::map<std::int64_t, std::set<int>> met;
};

Result<EditionData> load_edition(Context& ctx, const std::string& id) {
  EditionData d;
  d.ref = edition_of(ctx, id);
  if (!d.ref.edition) return Status::not_found("edizione sconosciuta: " + id);
  auto rows = ctx.store->list(id);
  if (!rows.ok()) return rows.status();
  auto met = ctx.store->back_office().meeting_attendance(id);
  if (!met.ok()) return met.status();
  d.rows = std::move(*rows);
  d.met = std::move(*met);
  return d;
}

// The index of the last meeting that has begun, -1 for none.
int last_held(const std::vector<bool>& held) {
  for (int i = static_cast<int>(held.size()) - 1; i >= 0; --i)
    if (held[static_cast<std::size_t>(i)]) return i;
  return -1;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// What a row's boxes were when its page was drawn, as the form carries it
// (r_<code>): "m" and a digit per meeting, "m0110".
std::string shown_value(const std::set<int>& met, std::size_t meetings) {
  std::string v = "m";
  for (std::size_t i = 0; i < meetings; ++i) v += met.count(static_cast<int>(i)) ? '1' : '0';
  return v;
}

// The meetings shown_value() wrote into `value`; nullopt for a page drawn
// before it did ("1"), whose boxes replace the row's meetings as sent.
std::optional<std::set<int>> shown_meetings(const std::string& value, int meetings) {
  if (value.size() != static_cast<std::size_t>(meetings) + 1 || value[0] != 'm') return std::nullopt;
  std::set<int> met;
  for (int i = 0; i < meetings; ++i) {
    const char c = value[static_cast<std::size_t>(i) + 1];
    if (c == '1')
      met.insert(i);
    else if (c != '0')
      return std::nullopt;
  }
  return met;
}

// A registration row of the edition page.
json row_view(Context& ctx, const Registration& r, const std::set<int>& met, const std::vector<bool>& held) {
  const Taxonomy& tax = ctx.desk->taxonomy();
  const std::string name = staff_view::person_name(r);
  const bool confirmed = r.status == "confirmed";
  json cells = json::array();
  for (std::size_t i = 0; i < held.size(); ++i)
    cells.push_back({{"name", "p_" + r.code + "_" + std::to_string(i)}, {"checked", met.count(static_cast<int>(i)) > 0},
                     {"n", i + 1},
                     {"label", name + ", incontro " + std::to_string(i + 1) + (held[i] ? "" : " (non ancora svolto)")},
                     {"confirmed", confirmed}, {"held", static_cast<bool>(held[i])}});
  return {{"code", r.code},
          {"shown", shown_value(met, held.size())},
          {"name", name},
          {"email", r.email},
          // Split before the "@", where a narrow column may break the
          // address (<wbr>): "persona1" / "@example.org", not "persona1@exa"
          // / "mple.org".
          {"email_user", r.email.substr(0, r.email.find('@'))},
          {"email_domain", r.email.find('@') == std::string::npos ? "" : r.email.substr(r.email.find('@'))},
          {"notes", r.erased_at.empty() ? r.notes : ""},
          // A child under 14: the staff need to know, and whom to call.
          {"guardian", guardian_of(r).empty() ? json(false) : json(guardian_of(r))},
          {"status", r.status},
          {"status_label", staff_view::status_label(r.status)},
          {"position", r.position ? std::to_string(r.position) : ""},
          {"organisation", r.organisation},
          {"role", staff_view::role_label(r.role)},
          {"region", tax.label("region", r.region)},
          {"created", rome_short(r.created_at)},
          {"created_iso", r.created_at},
          {"attended", r.attended},
          {"confirmed", r.status == "confirmed"},
          {"can_cancel", can_be_cancelled(r)},
          {"can_move", can_be_moved(ctx.desk->catalogue(), r)},
          {"can_confirm", can_be_confirmed(r)},
          {"meetings", cells}};
}

}  // namespace

void get_edition(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string id = req.matches[1];
  auto data = load_edition(ctx, id);
  if (!data.ok()) return send_staff_error(ctx, who, res, data.status());
  const EditionRef& ref = data->ref;
  const auto* rows = &data->rows;
  const auto* met = &data->met;
  const std::string status = req.get_param_value("stato");
  // The search words arrive by POST (the same page), never in the URL.
  const std::string query = lower(http::form_fields(req)["cerca"]);
  const std::size_t meetings = ref.edition->sessions.size();
  const std::vector<bool> held = ctx.desk->meetings_begun(*ref.edition);
  json list = json::array();
  int shown = 0;
  for (const auto& r : *rows) {
    if (!status.empty() && r.status != status) continue;
    if (!query.empty() &&
        lower(r.first_name + " " + r.last_name + " " + r.email + " " + r.code).find(query) == std::string::npos &&
        !staff_view::person_named(query, r))
      continue;
    auto m = met->find(r.id);
    list.push_back(row_view(ctx, r, m == met->end() ? std::set<int>() : m->second, held));
    ++shown;
  }
  // "Conferma" comes back here naming the registration: said only when it is
  // one of the edition's, confirmed.
  std::string confirmed_code;
  for (const auto& r : *rows)
    if (r.code == req.get_param_value("confermata") && r.status == "confirmed") confirmed_code = r.code;
  json sessions = json::array();
  bool any_held = false;
  for (std::size_t i = 0; i < meetings; ++i) {
    const Session& s = ref.edition->sessions[i];
    sessions.push_back({{"n", i + 1}, {"label", italian_meeting(s.date, s.start, s.end)}, {"held", static_cast<bool>(held[i])}});
    any_held = any_held || held[i];
  }
  json filters = json::array();
  for (const char* s : {"", "confirmed", "pending", "waitlisted", "cancelled", "expired"})
    filters.push_back({{"value", s}, {"label", *s ? staff_view::status_label(s) : "tutti"}, {"selected", status == s}});
  // Never the words searched: see get_people().
  audit(ctx, who, req, "list", id,
        query.empty() ? "elenco iscritti" : "ricerca nell'elenco iscritti (" + text::count_noun(shown, "risultato", "risultati") + ")");
  // Whether people can register from the site: by the catalogue's dates,
  // then the staff's pause (shown whatever the dates, so that it can be
  // lifted).
  std::string closed_why;
  const bool by_dates = ctx.desk->is_open(*ref.edition, &closed_why);
  json paused = false;
  if (auto counts = ctx.store->counts(); counts.ok())
    for (const auto& c : *counts)
      if (c.edition_id == id && !c.paused_at.empty()) paused = {{"at", rome_short(c.paused_at)}, {"by", c.paused_by}};
  // "almeno il 75 %", "almeno l'80 %".
  const std::string share =
      after_preposition("almeno il", std::to_string(ctx.options.certificate_share_percent) + " %");
  ctx.guard->send_page(who, res, "staff_edition", "Edizione " + id,
                       {{"section", "cruscotto"},
                        {"id", id},
                        {"title", ref.activity ? ref.activity->title : id},
                        {"tutoring", ref.activity && ref.activity->kind == "tutoraggio"},
                        {"hub", ctx.desk->taxonomy().label("hub", ref.edition->hub)},
                        {"city", ref.edition->city},
                        {"start", italian_datetime(ref.edition->start_local)},
                        {"capacity", text::count_noun(ref.edition->capacity, "posto", "posti")},
                        {"rows", list},
                        {"count", text::count_noun(shown, "iscrizione", "iscrizioni")},
                        {"sessions", sessions},
                        {"has_sessions", meetings > 0},
                        {"any_held", any_held},
                        {"last_held", any_held ? json(last_held(held) + 1) : json(false)},
                        {"first_meeting", italian_datetime(ctx.desk->begins_local(*ref.edition))},
                        {"share", share},
                        {"filters", filters},
                        {"status", status},
                        {"query", query},
                        {"saved", req.get_param_value("salvato") == "1"},
                        {"confirmed_code", confirmed_code},
                        {"paused", paused},
                        {"can_pause", by_dates && paused.is_boolean()},
                        {"public_closed", by_dates ? json(false) : json(closed_why)},
                        {"pause_said", req.get_param_value("iscrizioni") == "sospese"},
                        {"resume_said", req.get_param_value("iscrizioni") == "riaperte"},
                        {"in_person", ref.edition->city != "online"}});
}

void post_edition_pause(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string id = req.matches[1];
  const std::string action = http::form_fields(req)["azione"];
  if (action != "sospendi" && action != "riapri")
    return send_staff_error(ctx, who, res, Status::invalid("azione sconosciuta: scegli «Sospendi» o «Riapri»"));
  const bool pause = action == "sospendi";
  if (Status s = staff_pause(ctx, who, req, id, pause); !s.is_ok()) return send_staff_error(ctx, who, res, s);
  // Back to the edition's page, which says so (a reload changes nothing).
  redirect(res, "/staff/edizioni/" + id + "?iscrizioni=" + (pause ? "sospese" : "riaperte"));
}

namespace {

// Confirms `code` and goes back to its edition's page, which says so.
void confirm_and_return(Context& ctx, const Principal& who, const Req& req, Res& res, const std::string& code) {
  auto r = staff_confirm(ctx, who, req, code);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  redirect(res, "/staff/edizioni/" + r->edition_id + "?confermata=" + r->code);
}

}  // namespace

void post_attendance(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string id = req.matches[1];
  const EditionRef ref = edition_of(ctx, id);
  if (!ref.edition) return send_staff_error(ctx, who, res, Status::not_found("edizione sconosciuta: " + id));
  auto rows = ctx.store->list(id);
  if (!rows.ok()) return send_staff_error(ctx, who, res, rows.status());
  const auto fields = http::form_fields(req);
  const bool everyone = fields.count("tutti") > 0;
  // A page opened before the rows were listed in the form (r_<code>) would
  // save nothing and say it saved: it is refused, and the ticks are kept
  // in the browser's page to redo.
  const auto has = [&fields](std::string_view prefix) {
    return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first.starts_with(prefix); });
  };
  if (!has("r_") && (everyone || has("p_")))
    return send_staff_error(ctx, who, res,
                            Status::invalid("questa pagina è di una versione precedente dello sportello: torna "
                                            "indietro, ricaricala e segna di nuovo le presenze"));
  const int meetings = static_cast<int>(ref.edition->sessions.size());
  const std::vector<bool> held = ctx.desk->meetings_begun(*ref.edition);
  const int last = last_held(held);
  // «Conferma» on a row sends the whole form here with the row's code
  // (`conferma`): the boxes ticked so far are saved first, never lost, then
  // the registration is confirmed. Before any meeting, or from a form that
  // lists no row, there is nothing to save (nor to log as saved).
  const auto confirm = fields.find("conferma");
  if (confirm != fields.end()) {
    if (std::none_of(rows->begin(), rows->end(), [&](const Registration& r) { return r.code == confirm->second; }))
      return send_staff_error(ctx, who, res, Status::not_found("iscrizione sconosciuta in questa edizione"));
    if (last < 0 || !has("r_")) return confirm_and_return(ctx, who, req, res, confirm->second);
  }
  // The rows the form showed (each carries r_<code>: a search or a status
  // filter shows some of the edition) change as their boxes were changed on
  // the page: ticked there, a meeting is added; unticked there, it is
  // removed; the rest stays as saved now, so two people saving from pages
  // opened together keep each other's ticks. The rows not shown keep what
  // they had. A meeting that has not begun has no attendance yet, whatever
  // was sent. "Everyone" adds the last meeting held for the rows shown, to
  // whoever had registered before it began; their other meetings stay as
  // ticked.
  auto saved = ctx.store->back_office().meeting_attendance(id);
  if (!saved.ok()) return send_staff_error(ctx, who, res, saved.status());
  std::map<std::string, std::set<int>> by_code;
  for (const auto& r : *rows) {
    const auto row = fields.find("r_" + r.code);
    if (r.status != "confirmed" || row == fields.end()) continue;
    std::set<int> sent;
    for (int i = 0; i < meetings; ++i)
      if (held[static_cast<std::size_t>(i)] && fields.count("p_" + r.code + "_" + std::to_string(i))) sent.insert(i);
    auto& met = by_code[r.code];
    const std::optional<std::set<int>> shown = shown_meetings(row->second, meetings);
    if (!shown) {
      met = sent;
    } else {
      const auto now_saved = saved->find(r.id);
      // Meetings programme.yaml no longer has go, as a whole row's save
      // has always dropped them.
      if (now_saved != saved->end())
        for (int i : now_saved->second)
          if (i >= 0 && i < meetings) met.insert(i);
      for (int i = 0; i < meetings; ++i) {
        if (!held[static_cast<std::size_t>(i)])
          met.erase(i);
        else if (shown->count(i) && !sent.count(i))
          met.erase(i);
        else if (!shown->count(i) && sent.count(i))
          met.insert(i);
      }
    }
    if (everyone && last >= 0 &&
        r.created_at < utc_iso(ref.edition->sessions[static_cast<std::size_t>(last)].start_utc))
      met.insert(last);
  }
  auto rejected =
      ctx.store->back_office().save_meeting_attendance(id, by_code, meetings, ctx.options.certificate_share_percent);
  if (!rejected.ok()) return send_staff_error(ctx, who, res, rejected.status());
  int present = 0;
  for (const auto& [code, met] : by_code) present += static_cast<int>(met.size());
  audit(ctx, who, req, "attendance", id,
        (everyone ? "tutti presenti all'incontro " + std::to_string(last + 1) + ": " : "presenze salvate: ") +
            std::to_string(present) + " presenze di " + std::to_string(by_code.size()) + " persone");
  if (confirm != fields.end()) return confirm_and_return(ctx, who, req, res, confirm->second);
  redirect(res, "/staff/edizioni/" + id + "?salvato=1");
}

namespace {

// The person whose erasure page sent here («Annulla l'iscrizione» there,
// `?cancella=CODE`): the way back to it once done; "" for anything else.
std::string erase_back(const std::string& code) { return code_shaped(code) ? code : ""; }

}  // namespace

void get_cancel(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  // Cancelled or expired already (a link from an old page): nothing to ask.
  if (r->status != "confirmed" && r->status != "pending" && r->status != "waitlisted")
    return ctx.guard->send_page(who, res, "staff_cancel", "Iscrizione già chiusa",
                                {{"code", r->code},
                                 {"edition", r->edition_id},
                                 {"name", r->first_name + " " + r->last_name},
                                 {"status_label", staff_view::status_label(r->status)},
                                 {"closed", true}});
  auto next = who_would_be_promoted(ctx, *r);
  if (!next.ok()) return send_staff_error(ctx, who, res, next.status());
  json view = {{"code", r->code},
               {"edition", r->edition_id},
               {"name", r->first_name + " " + r->last_name},
               {"status_label", staff_view::status_label(r->status)},
               {"erase_back", erase_back(req.get_param_value("cancella"))},
               {"person_back", req.get_param_value("da") == "persona"},
               {"ask", true}};
  if (*next) view["promoted"] = {{"name", (*next)->first_name + " " + (*next)->last_name}, {"code", (*next)->code}};
  const Edition* edition = ctx.desk->catalogue().edition(r->edition_id);
  view["nobody"] = r->status == "waitlisted" ? "Nessun posto si libera: la persona è in lista d'attesa e ne esce."
                   : edition && edition->end_utc > 0 && ctx.desk->now() >= edition->end_utc
                       ? "Nessuno subentra: l'edizione è conclusa, il posto non passa alla lista d'attesa."
                       : "Nessuno subentra: non c'è nessuno in lista d'attesa per questo posto.";
  ctx.guard->send_page(who, res, "staff_cancel", "Annulla un'iscrizione", view);
}

void post_cancel_page(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto out = staff_cancel(ctx, who, req, req.matches[1]);
  if (!out.ok()) return send_staff_error(ctx, who, res, out.status());
  json view = {{"code", out->cancelled.code},
               {"edition", out->cancelled.edition_id},
               {"name", out->cancelled.first_name + " " + out->cancelled.last_name},
               {"erase_back", erase_back(http::form_fields(req)["cancella"])},
               {"person_back", http::form_fields(req)["da"] == "persona"},
               {"done", true}};
  if (out->promoted)
    view["promoted"] = {{"name", out->promoted->first_name + " " + out->promoted->last_name},
                        {"code", out->promoted->code},
                        {"status_label", staff_view::status_label(out->promoted->status)}};
  ctx.guard->send_page(who, res, "staff_cancel", "Iscrizione annullata", view);
}

namespace {

// «Sposta»: the other editions of `r`'s activity, each with its dates,
// free seats and why it cannot take `r` (Desk::move_refusal, the address
// already there, full); `error` is the refusal of a POST, shown above them.
json move_view(Context& ctx, const Registration& r, const std::string& chosen, const std::string& error) {
  const Catalogue& cat = ctx.desk->catalogue();
  const Edition* from = cat.edition(r.edition_id);
  const Activity* activity = from ? cat.activity_of(*from) : nullptr;
  std::map<std::string, int> free;
  if (auto counts = ctx.store->counts(); counts.ok())
    for (const auto& c : *counts) free[c.edition_id] = std::max(0, c.capacity - c.taken);
  std::map<std::string, std::string> already;  // edition -> the address's active registration there
  if (auto person = registrations_of_person(ctx, r); person.ok())
    for (const auto& x : *person)
      if (x.code != r.code && x.erased_at.empty() && is_active(x.status)) already[x.edition_id] = x.code;
  json targets = json::array();
  bool any = false;
  if (activity)
    for (const auto& e : activity->editions) {
      if (e.id == r.edition_id) continue;
      std::string why = ctx.desk->move_refusal(r, e);
      if (why.empty() && already.count(e.id)) why = "questo indirizzo è già iscritto lì (" + already[e.id] + ")";
      if (why.empty() && free[e.id] == 0) why = "al completo";
      any = any || why.empty();
      targets.push_back({{"id", e.id},
                         {"label", edition_choice_label(ctx.desk->taxonomy(), activity, e)},
                         {"free", text::count_noun(free[e.id], "posto libero", "posti liberi")},
                         {"why", why},
                         {"checked", e.id == chosen}});
    }
  std::size_t attended = 0;
  if (auto met = ctx.store->back_office().meeting_attendance(r.edition_id); met.ok())
    if (auto it = met->find(r.id); it != met->end()) attended = it->second.size();
  json view = {
      {"code", r.code},
      {"edition", r.edition_id},
      {"title", activity ? activity->title : r.edition_id},
      {"name", r.first_name + " " + r.last_name},
      {"status_label", staff_view::status_label(r.status)},
      {"targets", targets},
      {"has_targets", !targets.empty()},
      {"can_move", any},
      {"attended",
       attended ? json(text::count_noun(static_cast<std::int64_t>(attended), "presenza", "presenze")) : json(false)},
      {"error", error},
      {"ask", true}};
  if (auto next = who_would_be_promoted(ctx, r); next.ok() && *next)
    view["promoted"] = {{"name", (*next)->first_name + " " + (*next)->last_name}, {"code", (*next)->code}};
  return view;
}

// Why `r` has no «Sposta» page at all: erased or no longer active (the
// store's check_move); "" else.
std::string not_movable(const Registration& r) {
  const Status why = check_move(r, r.edition_id, /*to=*/"");
  if (why.is_ok()) return "";
  return r.erased_at.empty() ? why.message() + ": questa è " + staff_view::status_label(r.status) : why.message();
}

}  // namespace

void get_move(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  if (const std::string why = not_movable(*r); !why.empty())
    return send_staff_error(ctx, who, res, Status::conflict(why));
  ctx.guard->send_page(who, res, "staff_move", "Sposta un'iscrizione", move_view(ctx, *r, "", ""));
}

void post_move(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string code = req.matches[1];
  auto fields = http::form_fields(req);
  const std::string to = fields["edizione"];
  auto out = to.empty() ? Result<MoveOutcome>(Status::invalid("scegli l'edizione"))
                        : staff_move(ctx, who, req, code, fields["da"], to);
  if (!out.ok()) {
    const Code c = out.status().code();
    auto r = ctx.store->find(code);
    const std::string gone = r.ok() ? not_movable(*r) : "";
    if (!r.ok() || !gone.empty() || (c != Code::kInvalidArgument && c != Code::kConflict && c != Code::kNotFound))
      return send_staff_error(ctx, who, res, gone.empty() ? out.status() : Status::conflict(gone));
    return ctx.guard->send_page(who, res, "staff_move", "Errore: sposta un'iscrizione",
                                move_view(ctx, *r, to, text::sentence(out.status().message())),
                                c == Code::kConflict ? 409 : 400);
  }
  // To the person's page, which says what happened (a reload moves nothing).
  redirect(res, "/staff/persone/" + code + "?spostata=" + out->from +
                    (out->promoted ? "&subentra=" + out->promoted->code : ""));
}

void post_confirm_registration(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = staff_confirm(ctx, who, req, req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  // Back where «Conferma» was pressed: the person's page, or the edition's.
  if (http::form_fields(req)["da"] == "persona")
    return redirect(res, "/staff/persone/" + r->code + "?confermata=" + r->code);
  redirect(res, "/staff/edizioni/" + r->edition_id + "?confermata=" + r->code);
}

namespace {

// The rows of the registrations CSVs, one per registration of `d`, after
// `lead` (the edition's own columns, in the programme's CSV). With
// `held` (the edition's CSV: which of its meetings have begun), a column
// per meeting as a funder's register has them: "sì" when the person was
// there, "no" for a confirmed person absent from a meeting held while they
// had their seat, empty otherwise (a meeting to come, one held before the
// seat was theirs, a person without a seat).
void csv_rows(Context& ctx, const EditionData& d, const std::vector<std::string>& lead,
              std::vector<std::vector<std::string>>* out, const std::vector<bool>* held = nullptr) {
  const Taxonomy& tax = ctx.desk->taxonomy();
  for (const auto& r : d.rows) {
    auto m = d.met.find(r.id);
    std::vector<std::string> row = lead;
    row.insert(row.end(),
               {r.code, staff_view::status_label(r.status), r.position ? std::to_string(r.position) : "", r.first_name,
                r.last_name, r.email, r.organisation, r.role.empty() ? "" : staff_view::role_label(r.role),
                tax.label("region", r.region), r.age_band.empty() ? "" : staff_view::age_band_label(r.age_band),
                guardian_of(r), r.erased_at.empty() ? r.notes : "", rome_short(r.created_at),
                // Two numbers a spreadsheet can add, not "2 di 3".
                std::to_string(m == d.met.end() ? 0 : m->second.size()), std::to_string(d.ref.edition->sessions.size()),
                r.attended ? "sì" : "no", r.topic.empty() ? "" : tax.label("theme", r.topic),
                r.erased_at.empty() ? r.needs : ""});
    if (held) {
      // A seat confirmed after a meeting ended (registered late by the
      // staff, promoted from the list) was not absent from it.
      const auto seat_since = utc_iso_seconds(r.confirmed_at.empty() ? r.created_at : r.confirmed_at);
      const auto& sessions = d.ref.edition->sessions;
      for (std::size_t i = 0; i < held->size(); ++i) {
        const bool there = m != d.met.end() && m->second.count(static_cast<int>(i)) != 0;
        const bool had_seat = !seat_since || i >= sessions.size() || *seat_since < sessions[i].end_utc;
        row.push_back(there ? "sì" : (*held)[i] && r.status == "confirmed" && had_seat ? "no" : "");
      }
    }
    out->push_back(std::move(row));
  }
}

const std::vector<std::string> kCsvHeader = {"Codice", "Stato", "Posizione in lista d'attesa", "Nome", "Cognome",
                                             "E-mail", "Ente", "Ruolo", "Regione", "Fascia d'età", "Genitore o tutore",
                                             "Note", "Iscritta il", "Incontri frequentati", "Incontri dell'edizione",
                                             "Attestato",
                                             // A request for tutoring: its theme and what the person asked.
                                             "Argomento", "Richiesta"};

void send_csv(Res& res, const std::string& file, const std::vector<std::vector<std::string>>& out) {
  res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
  res.set_content(staff_view::csv_document(out), "text/csv; charset=utf-8");
}

}  // namespace

void get_edition_csv(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string id = req.matches[1];
  auto data = load_edition(ctx, id);
  if (!data.ok()) return send_staff_error(ctx, who, res, data.status());
  // A column per meeting: "Incontro 1 – 15/04/2027".
  std::vector<std::string> header = kCsvHeader;
  const auto& sessions = data->ref.edition->sessions;
  for (std::size_t i = 0; i < sessions.size(); ++i)
    header.push_back("Incontro " + std::to_string(i + 1) + " – " + short_date(sessions[i].date));
  std::vector<std::vector<std::string>> out = {header};
  const std::vector<bool> held = ctx.desk->meetings_begun(*data->ref.edition);
  csv_rows(ctx, *data, {}, &out, &held);
  audit(ctx, who, req, "export", id, "elenco iscritti in CSV (" + std::to_string(data->rows.size()) + " righe)");
  send_csv(res, "iscritti-" + id + ".csv", out);
}

void get_programme_csv(Context& ctx, const Principal& who, const Req& req, Res& res) {
  // Every edition of the programme in the catalogue's order, each row led
  // by its activity, kind, hub and edition (a spreadsheet filters on them).
  const Catalogue& cat = ctx.desk->catalogue();
  const Taxonomy& tax = ctx.desk->taxonomy();
  std::vector<std::string> header = {"Attività", "Tipo", "Hub", "Edizione", "Sede"};
  header.insert(header.end(), kCsvHeader.begin(), kCsvHeader.end());
  std::vector<std::vector<std::string>> out = {header};
  std::size_t rows = 0;
  for (const auto& a : cat.activities)
    for (const auto& e : a.editions) {
      auto data = load_edition(ctx, e.id);
      if (!data.ok()) return send_staff_error(ctx, who, res, data.status());
      csv_rows(ctx, *data, {a.title, staff_view::kind_label(a.kind), tax.label("hub", e.hub), e.id, e.city}, &out);
      rows += data->rows.size();
    }
  // Registrations to editions since removed from programme.yaml stay in the
  // archive and in this export (docs/registration.md), last, by edition.
  auto all = ctx.store->list("");
  if (!all.ok()) return send_staff_error(ctx, who, res, all.status());
  std::map<std::string, EditionData> removed;
  for (auto& r : *all)
    if (!cat.edition(r.edition_id)) removed[r.edition_id].rows.push_back(std::move(r));
  for (auto& [id, data] : removed) {
    Edition gone;  // its meetings' dates are not known any more, who came to them is
    gone.id = id;
    data.ref.edition = &gone;
    auto met = ctx.store->back_office().meeting_attendance(id);
    if (!met.ok()) return send_staff_error(ctx, who, res, met.status());
    data.met = std::move(*met);
    csv_rows(ctx, data, {"(non più nel programma)", "", "", id, ""}, &out);
    rows += data.rows.size();
  }
  audit(ctx, who, req, "export", "programma", "tutte le iscrizioni in CSV (" + std::to_string(rows) + " righe)");
  send_csv(res, "iscrizioni-programma.csv", out);
}

void get_signin_sheet(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string id = req.matches[1];
  const EditionRef ref = edition_of(ctx, id);
  if (!ref.edition) return send_staff_error(ctx, who, res, Status::not_found("edizione sconosciuta: " + id));
  auto rows = ctx.store->list(id);
  if (!rows.ok()) return send_staff_error(ctx, who, res, rows.status());
  json people = json::array();
  std::vector<Registration> confirmed;
  for (const auto& r : *rows)
    if (r.status == "confirmed" && r.erased_at.empty()) confirmed.push_back(r);
  std::sort(confirmed.begin(), confirmed.end(), [](const Registration& a, const Registration& b) {
    return lower(a.last_name + " " + a.first_name) < lower(b.last_name + " " + b.first_name);
  });
  for (const auto& r : confirmed)
    // A child under 14 comes with a parent or guardian, who signs.
    people.push_back({{"first", r.first_name},
                      {"last", r.last_name},
                      {"organisation", r.organisation},
                      {"guardian", guardian_of(r).empty() ? json(false) : json(guardian_of(r))}});
  json sessions = json::array();
  for (const auto& s : ref.edition->sessions) sessions.push_back({{"label", italian_meeting(s.date, s.start, s.end)}});
  audit(ctx, who, req, "export", id, "foglio firme");
  ctx.guard->send_page(who, res, "staff_signin", "Foglio firme " + id,
                       {{"id", id}, {"title", ref.activity ? ref.activity->title : id}, {"city", ref.edition->city},
                        {"start", italian_datetime(ref.edition->start_local)}, {"people", people},
                        {"sessions", sessions}});
}

}  // namespace bp::registration
