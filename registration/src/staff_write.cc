// «Scrivi agli iscritti»: the staff write to the participants of one edition
// (a room changed, a meeting moved, material to read before). The form,
// a preview of the copy one person gets, then the sending, once: the
// preview carries a key the store accepts a single time, so a form sent
// twice (a double click, a reload) is one message. Below the form, what was
// sent to the edition before. From a person's page («Scrivi»), the same
// page writes to that one registration of the edition (`persona`, its
// code), whatever its status.
#include <algorithm>
#include <string>
#include <vector>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "crypto.h"
#include "staff_pages.h"

namespace bp::registration {

namespace {

using nlohmann::json;

// The groups one can write to, in the form's order.
struct Group {
  const char* status;
  const char* field;  // the checkbox
  const char* label;
};
constexpr Group kGroups[] = {{"confirmed", "a_confirmed", "con iscrizione confermata"},
                             {"pending", "a_pending", "in attesa di conferma"},
                             {"waitlisted", "a_waitlisted", "in lista d'attesa"}};

// The form's fields, in order, with their labels for the error summary.
constexpr std::pair<const char*, const char*> kFields[] = {
    {"statuses", "Destinatari"}, {"subject", "Oggetto"}, {"body", "Testo"}};

// "con iscrizione confermata, in attesa di conferma e in lista d'attesa".
std::string statuses_label(const std::vector<std::string>& statuses) {
  std::vector<std::string> labels;
  for (const auto& g : kGroups)
    for (const auto& st : statuses)
      if (st == g.status) labels.push_back(g.label);
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i)
    out += (i == 0 ? "" : i + 1 == labels.size() ? " e " : ", ") + labels[i];
  return out;
}

// What the preview showed, as the key's second half: a form changed
// between the preview and «Manda» (another tab, a forged field) is shown
// again instead of sent.
std::string content_digest(const EditionMessage& m) {
  std::string all = m.registration_code + ";";
  for (const auto& g : kGroups)
    for (const auto& st : m.statuses)
      if (st == g.status) all += st + ",";
  return to_hex(sha256(all + "\n" + m.subject + "\n" + m.body)).substr(0, 16);
}

// The edition's people who would receive a message to `statuses`, in the
// store's order (the first is the preview's).
std::vector<Registration> recipients(const std::vector<Registration>& rows, const EditionMessage& m) {
  std::vector<Registration> out;
  for (const auto& r : rows) {
    if (!r.erased_at.empty()) continue;
    if (!m.registration_code.empty()) {
      if (r.code == m.registration_code) out.push_back(r);
      continue;
    }
    for (const auto& st : m.statuses)
      if (r.status == st) out.push_back(r);
  }
  return out;
}

// The message as the form sent it (not yet checked).
EditionMessage from_form(const std::string& id, const std::map<std::string, std::string>& f) {
  EditionMessage m;
  m.edition_id = id;
  auto get = [&f](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  m.subject = get("oggetto");
  m.body = get("testo");
  m.registration_code = get("persona");
  if (m.registration_code.empty())
    for (const auto& g : kGroups)
      if (!get(g.field).empty()) m.statuses.push_back(g.status);
  m.send_key = get("chiave");
  return m;
}

// A key as the preview makes them: random base32, "-", the digest of the
// content previewed. Anything else is not one.
bool plausible_key(const std::string& k) {
  const auto dash = k.find('-');
  if (dash == std::string::npos || dash < 16 || dash > 64 || k.size() != dash + 17) return false;
  for (std::size_t i = 0; i < k.size(); ++i) {
    const char c = k[i];
    const bool ok = i < dash   ? (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')
                    : i > dash ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                               : true;
    if (!ok) return false;
  }
  return true;
}

struct Screen {
  const Edition* edition = nullptr;
  const Activity* activity = nullptr;
  std::vector<Registration> rows;
};

// The edition `id`, and with `person` (a code; "" for none) the person
// written to: a registration of the edition whose data are kept (NotFound
// otherwise).
Result<Screen> load(Context& ctx, const std::string& id, const std::string& person) {
  Screen s;
  s.edition = ctx.desk->catalogue().edition(id);
  if (!s.edition) return Status::not_found("edizione sconosciuta: " + id);
  s.activity = ctx.desk->catalogue().activity_of(*s.edition);
  auto rows = ctx.store->list(id);
  if (!rows.ok()) return rows.status();
  s.rows = std::move(*rows);
  if (!person.empty() && std::none_of(s.rows.begin(), s.rows.end(),
                                      [&](const Registration& r) { return r.code == person && r.erased_at.empty(); }))
    return Status::not_found("nessuna iscrizione " + person + " con i dati a questa edizione");
  return s;
}

// The person a message goes to, as the page names them: "Giulia Rossi".
std::string person_name(const Screen& s, const std::string& code) {
  for (const auto& r : s.rows)
    if (r.code == code) return staff_view::person_name(r);
  return code;
}

// The page: the form with `m` (its errors beside the fields), the preview
// when `preview` is set, and the messages sent before.
json view(Context& ctx, const Screen& s, const EditionMessage& m, const FieldErrors& errors,
          const std::optional<OutboxMessage>& preview, const std::string& preview_name, bool changed = false) {
  json groups = json::array();
  for (const auto& g : kGroups) {
    int n = 0;
    for (const auto& r : s.rows) n += r.erased_at.empty() && r.status == g.status ? 1 : 0;
    bool checked = false;
    for (const auto& st : m.statuses) checked |= st == g.status;
    groups.push_back({{"field", g.field},
                      {"label", g.label},
                      {"count", text::count_noun(n, "persona", "persone")},
                      {"checked", checked}});
  }
  json error_list = json::array(), e = json::object();
  for (const auto& [field, label] : kFields)
    if (auto it = errors.find(field); it != errors.end()) {
      error_list.push_back({{"id", std::string(field) == "statuses" ? "a_confirmed" : field},
                            {"label", label},
                            {"message", it->second}});
      e[field] = it->second;
    }
  json history = json::array();
  if (auto sent = ctx.store->back_office().edition_messages(s.edition->id); sent.ok())
    for (const auto& h : *sent) {
      // A message to one person loses its words with the person's data.
      const bool erased = !h.registration_code.empty() && h.subject.empty() && h.body.empty();
      history.push_back(
          {{"id", h.id},
           {"when", rome_short(h.sent_at)},
           {"by", h.sent_by},
           {"subject", erased ? "(oggetto cancellato)" : h.subject},
           {"body", erased ? "Il testo è stato cancellato insieme ai dati personali della persona." : h.body},
           {"to", h.registration_code.empty()
                      ? statuses_label(h.statuses)
                      : "a " + person_name(s, h.registration_code) + ", " + h.registration_code},
           {"recipients", text::count_noun(h.recipients, "persona", "persone")}});
    }
  json v = {{"id", s.edition->id},
            {"title", s.activity ? s.activity->title : s.edition->id},
            {"hub", ctx.desk->taxonomy().label("hub", s.edition->hub)},
            {"city", edition_where(s.activity, *s.edition)},
            {"groups", groups},
            {"v", {{"subject", m.subject}, {"body", m.body}}},
            {"e", e},
            {"has_errors", !error_list.empty()},
            {"error_list", error_list},
            // Where replies go: the sender's address, unless it is none.
            {"replies_to", ctx.options.mail_from.find("noreply@") == std::string::npos ? ctx.options.mail_from : ""},
            {"has_history", !history.empty()},
            {"history", history},
            {"person", m.registration_code.empty()
                           ? json(false)
                           : json({{"code", m.registration_code}, {"name", person_name(s, m.registration_code)}})}};
  if (preview) {
    const int n = static_cast<int>(recipients(s.rows, m).size());
    v["preview"] = {
        {"to",
         m.registration_code.empty() ? text::count_noun(n, "persona", "persone") : person_name(s, m.registration_code)},
        {"one", n == 1},
        {"changed", changed},
        {"to_groups", m.registration_code.empty() ? statuses_label(m.statuses) : "iscrizione " + m.registration_code},
        {"name", preview_name},
        {"subject", preview->subject},
        {"body", preview->body},
        {"key", random_base32(16) + "-" + content_digest(m)},
        {"statuses", json::array()}};
    for (const auto& g : kGroups)
      for (const auto& st : m.statuses)
        if (st == g.status) v["preview"]["statuses"].push_back(g.field);
  }
  return v;
}

}  // namespace

void get_edition_write(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string person = req.get_param_value("persona");
  auto s = load(ctx, req.matches[1], person);
  if (!s.ok()) return send_staff_error(ctx, who, res, s.status());
  EditionMessage m;
  m.registration_code = person;
  if (person.empty()) m.statuses = {"confirmed"};
  json v = view(ctx, *s, m, {}, std::nullopt, "");
  // After the sending (post_edition_write): how many, from the record.
  if (const std::string sent = req.get_param_value("mandato"); !sent.empty())
    for (const auto& h : v["history"])
      if (std::to_string(h["id"].get<std::int64_t>()) == sent) {
        v["sent_now"] = h["recipients"];
        v["sent_again"] = req.get_param_value("di-nuovo") == "1";
      }
  ctx.guard->send_page(who, res, "staff_write", person.empty() ? "Scrivi agli iscritti" : "Scrivi a una persona", v);
}

void post_edition_write(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const auto fields = http::form_fields(req);
  auto person = fields.find("persona");
  auto s = load(ctx, req.matches[1], person == fields.end() ? "" : person->second);
  if (!s.ok()) return send_staff_error(ctx, who, res, s.status());
  EditionMessage m = from_form(s->edition->id, fields);
  const std::string title = m.registration_code.empty() ? "Scrivi agli iscritti" : "Scrivi a una persona";
  FieldErrors errors;
  const bool checked = ctx.desk->check_edition_message(&m, &errors);
  const auto to = recipients(s->rows, m);
  if (checked && to.empty())
    errors["statuses"] = "nessuna persona dell'edizione è in questo stato: il messaggio non arriverebbe a nessuno";
  if (!errors.empty())
    return ctx.guard->send_page(who, res, "staff_write", "Errore: " + title, view(ctx, *s, m, errors, std::nullopt, ""),
                                400);
  auto it = fields.find("azione");
  const std::string action = it == fields.end() ? "" : it->second;
  const bool previewed = plausible_key(m.send_key) && m.send_key.substr(m.send_key.size() - 16) == content_digest(m);
  if (action == "invia" && previewed) {
    auto sent = staff_write_edition(ctx, who, req, m);
    if (!sent.ok() && sent.status().code() == Code::kConflict) {
      // Sent already (a double click, a reload): the page of the sending.
      auto before = ctx.store->back_office().edition_messages(s->edition->id);
      if (before.ok())
        for (const auto& h : *before)
          if (h.send_key == m.send_key)
            return redirect(res, "/staff/edizioni/" + s->edition->id + "/scrivi?mandato=" + std::to_string(h.id) +
                                     "&di-nuovo=1" +
                                     (m.registration_code.empty() ? "" : "&persona=" + m.registration_code));
    }
    if (!sent.ok()) return send_staff_error(ctx, who, res, sent.status());
    return redirect(res, "/staff/edizioni/" + s->edition->id + "/scrivi?mandato=" + std::to_string(sent->id) +
                             (m.registration_code.empty() ? "" : "&persona=" + m.registration_code));
  }
  if (action == "modifica")
    return ctx.guard->send_page(who, res, "staff_write", title, view(ctx, *s, m, {}, std::nullopt, ""));
  // The preview: the copy the first recipient gets.
  const Registration& first = to.front();
  const OutboxMessage copy =
      edition_message_copy(ctx.desk->catalogue(), ctx.desk->options().public_base_url, m.subject, m.body, first);
  ctx.guard->send_page(
      who, res, "staff_write", "Anteprima: " + text::lower(title),
      view(ctx, *s, m, {}, copy, first.first_name + " " + first.last_name, action == "invia" && !previewed));
}

}  // namespace bp::registration
