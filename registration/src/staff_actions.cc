#include "staff_actions.h"

#include <strings.h>

#include <algorithm>
#include <set>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "report.h"
#include "staff_view.h"
#include "store_rules.h"

namespace bp::registration {

void audit(Context& ctx, const Principal& who, const Req& req, const std::string& action, const std::string& target,
           const std::string& details) {
  ctx.guard->record(who, req, action, target, details);
}

Result<std::optional<Registration>> who_would_be_promoted(Context& ctx, const Registration& r) {
  if (r.status != "pending" && r.status != "confirmed") return std::optional<Registration>();
  // Nobody after the edition's end (OfferTerms::fills_freed_seats).
  if (const Edition* e = ctx.desk->catalogue().edition(r.edition_id);
      e && e->end_utc > 0 && ctx.desk->now() >= e->end_utc)
    return std::optional<Registration>();
  auto counts = ctx.store->counts();
  if (!counts.ok()) return counts.status();
  for (const auto& c : *counts) {
    if (c.edition_id != r.edition_id) continue;
    if (c.taken - 1 >= c.capacity) return std::optional<Registration>();
  }
  auto rows = ctx.store->list(r.edition_id);
  if (!rows.ok()) return rows.status();
  std::optional<Registration> first;
  for (const auto& x : *rows)
    if (x.status == "waitlisted" && (!first || x.id < first->id)) first = x;
  return first;
}

namespace {

// The codes waiting in `edition` now; then, after a seat was freed, the one
// of them who got it (what the cancel and move pages say).
std::vector<std::string> waiting_in(Context& ctx, const std::string& edition) {
  std::vector<std::string> waiting;
  if (auto rows = ctx.store->list(edition); rows.ok())
    for (const auto& x : *rows)
      if (x.status == "waitlisted") waiting.push_back(x.code);
  return waiting;
}
// `cancelled`, when it was waiting itself, left the list: it got nothing.
std::optional<Registration> promoted_among(Context& ctx, const std::string& edition,
                                           const std::vector<std::string>& waiting, const std::string& cancelled) {
  std::optional<Registration> promoted;
  if (auto rows = ctx.store->list(edition); rows.ok())
    for (const auto& x : *rows)
      if (x.code != cancelled && x.status != "waitlisted" && x.status != "cancelled" &&
          std::find(waiting.begin(), waiting.end(), x.code) != waiting.end())
        promoted = x;
  return promoted;
}

}  // namespace

Result<CancelOutcome> staff_cancel(Context& ctx, const Principal& who, const Req& req, const std::string& code) {
  auto before = ctx.store->find(code);
  if (!before.ok()) return before.status();
  const auto waiting = waiting_in(ctx, before->edition_id);
  auto r = ctx.store->cancel(code);
  if (!r.ok()) return r.status();
  if (ctx.worker) ctx.worker->notify();
  CancelOutcome out;
  out.cancelled = *r;
  out.promoted = promoted_among(ctx, r->edition_id, waiting, code);
  audit(ctx, who, req, "cancel", code,
        "edizione " + r->edition_id + (out.promoted ? "; promossa dalla lista d'attesa: " + out.promoted->code : ""));
  return out;
}

bool can_be_moved(const Catalogue& catalogue, const Registration& r) {
  if (!r.erased_at.empty() || !is_active(r.status)) return false;
  const Edition* e = catalogue.edition(r.edition_id);
  const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
  return a != nullptr && a->editions.size() > 1;
}

bool can_be_cancelled(const Registration& r) { return r.erased_at.empty() && is_active(r.status); }

bool can_be_confirmed(const Registration& r) {
  return r.erased_at.empty() && (r.status == "pending" || (r.status == "expired" && !r.confirm_hash.empty()));
}

Result<MoveOutcome> staff_move(Context& ctx, const Principal& who, const Req& req, const std::string& code,
                               const std::string& from, const std::string& to) {
  auto before = ctx.store->find(code);
  if (!before.ok()) return before.status();
  const auto waiting = waiting_in(ctx, before->edition_id);
  auto r = ctx.desk->move(code, from.empty() ? before->edition_id : from, to);
  if (!r.ok()) return r.status();
  if (ctx.worker) ctx.worker->notify();
  MoveOutcome out;
  out.moved = *r;
  out.from = before->edition_id;
  out.promoted = promoted_among(ctx, out.from, waiting, code);
  audit(ctx, who, req, "move", code,
        "spostata dall'edizione " + out.from + " all'edizione " + to +
            (out.promoted ? "; promossa dalla lista d'attesa di " + out.from + ": " + out.promoted->code : ""));
  return out;
}

Result<Registration> staff_confirm(Context& ctx, const Principal& who, const Req& req, const std::string& code) {
  auto before = ctx.store->find(code);
  if (!before.ok()) return before.status();
  auto r = ctx.store->confirm(code, ctx.desk->sibling_editions(before->edition_id));
  if (!r.ok()) return r.status();
  if (ctx.worker) ctx.worker->notify();
  audit(ctx, who, req, "confirm", code, "edizione " + r->edition_id);
  return r;
}

Status staff_pause(Context& ctx, const Principal& who, const Req& req, const std::string& edition_id, bool pause) {
  if (!ctx.desk->catalogue().edition(edition_id)) return Status::not_found("edizione sconosciuta: " + edition_id);
  if (Status s = ctx.store->back_office().pause_registrations(edition_id, pause, who.email); !s.is_ok()) return s;
  audit(ctx, who, req, pause ? "pause" : "resume", edition_id,
        pause ? "iscrizioni dal sito sospese" : "iscrizioni dal sito riaperte");
  return Status::ok();
}

Result<CorrectOutcome> staff_correct(Context& ctx, const Principal& who, const Req& req, const std::string& code,
                                     const std::map<std::string, std::string>& fields, FieldErrors* errors) {
  auto before = ctx.store->find(code);
  if (!before.ok()) return before.status();
  auto after = ctx.desk->correct_contact(code, fields, errors);
  if (!after.ok()) return after.status();
  CorrectOutcome out;
  out.registration = *after;
  out.links_sent = !after->token.empty();
  const std::pair<const char*, std::string Registration::*> kFields[] = {
      {"nome", &Registration::first_name},      {"cognome", &Registration::last_name},
      {"e-mail", &Registration::email},         {"ente", &Registration::organisation},
      {"ruolo", &Registration::role},           {"regione", &Registration::region},
      {"fascia d'età", &Registration::age_band}};
  std::string changed;
  for (const auto& [label, field] : kFields)
    if ((*before).*field != (*after).*field) {
      out.changed.push_back(label);
      changed += (changed.empty() ? "" : ", ") + std::string(label);
    }
  if (out.links_sent && ctx.worker) ctx.worker->notify();
  audit(ctx, who, req, "correct", code,
        changed.empty()
            ? "dati confermati senza modifiche"
            : "dati corretti: " + changed + (out.links_sent ? "; nuovi link mandati al nuovo indirizzo" : ""));
  return out;
}

Result<EditionMessage> staff_write_edition(Context& ctx, const Principal& who, const Req& req, EditionMessage m) {
  m.account_id = who.account_id;
  m.sent_by = who.email;
  auto sent = ctx.desk->send_edition_message(m);
  if (!sent.ok()) return sent.status();
  if (sent->recipients > 0 && ctx.worker) ctx.worker->notify();
  if (!sent->registration_code.empty())
    audit(ctx, who, req, "write", sent->registration_code,
          "messaggio alla persona «" + sent->subject + "» (edizione " + sent->edition_id + ")");
  else
    audit(
        ctx, who, req, "write", sent->edition_id,
        "messaggio agli iscritti «" + sent->subject + "»: " + text::count_noun(sent->recipients, "persona", "persone"));
  return sent;
}

Result<std::vector<Registration>> registrations_of_person(Context& ctx, const Registration& r) {
  std::vector<Registration> out{r};
  // After an erasure the address is gone; the code that stands for the
  // person (Registration::erased_person) still ties their registrations.
  const std::string person = r.erased_at.empty() ? "" : r.erased_person.empty() ? r.code : r.erased_person;
  if (r.email.empty() && person.empty()) return out;
  auto all = ctx.store->list("");
  if (!all.ok()) return all.status();
  for (auto& x : *all) {
    if (x.code == r.code) continue;
    const bool same = person.empty()
                          ? strcasecmp(x.email.c_str(), r.email.c_str()) == 0
                          : !x.erased_at.empty() && (x.erased_person.empty() ? x.code : x.erased_person) == person;
    if (same) out.push_back(std::move(x));
  }
  return out;
}

Status staff_erase(Context& ctx, const Principal& who, const Req& req, const std::string& code) {
  auto r = ctx.store->find(code);
  if (!r.ok()) return r.status();
  // Twice (a second tab, a retried API call) would make the erased person
  // two people in the report: erased_person would be rewritten.
  if (!r->erased_at.empty()) return Status::conflict("i dati di questa persona sono già stati cancellati");
  // The person, not one registration: every registration with the e-mail.
  auto person = registrations_of_person(ctx, *r);
  if (!person.ok()) return person.status();
  std::vector<std::string> codes{code};
  for (const auto& x : *person)
    if (x.code != code && x.erased_at.empty()) codes.push_back(x.code);
  // A place on a waiting list is left: nobody could tell the person of a
  // seat any more, and the seat would go to a name that is no longer there
  // instead of to the next person waiting. (A seat held is the staff's
  // choice: the erase page offers to cancel it first.)
  for (const auto& x : *person)
    if (x.erased_at.empty() && x.status == "waitlisted")
      if (auto c = ctx.store->cancel(x.code); !c.ok()) return c.status();
  // What the log may hold of the person (a search by their e-mail, a
  // message sent to them) goes too; the erasure line keeps only the code.
  // First: on SQLite the erasure then empties the -wal file of it too.
  if (Status s = ctx.store->accounts().redact_audit({r->email, r->first_name + " " + r->last_name, r->guardian_name},
                                                    staff_view::kErasedMark);
      !s.is_ok())
    return s;
  // The first code stands for the person on all of them (erased_person),
  // in one transaction.
  std::vector<Store::Erasure> erasures;
  for (const auto& c : codes) erasures.push_back({c, code});
  if (Status s = ctx.store->erase_all(erasures); !s.is_ok()) return s;
  std::string all_codes;
  for (const auto& c : codes) all_codes += (all_codes.empty() ? "" : ", ") + c;
  audit(ctx, who, req, "erase", code, "dati personali cancellati: iscrizioni " + all_codes);
  return Status::ok();
}

Status staff_erase_proposer(Context& ctx, const Principal& who, const Req& req, const std::string& code) {
  auto p = ctx.store->proposals().find(code);
  if (!p.ok()) return p.status();
  if (!p->erased()) {
    if (Status s = ctx.store->accounts().redact_audit({p->proposer_email, p->proposer_name}, staff_view::kErasedMark);
        !s.is_ok())
      return s;
    if (Status s = ctx.store->proposals().erase_proposers({code}, staff_view::kErasedMark); !s.is_ok()) return s;
    // No registration: on SQLite this only empties the -wal file.
    if (Status s = ctx.store->erase_all({}); !s.is_ok()) return s;
  }
  audit(ctx, who, req, "erase_proposer", code, "dati di chi ha proposto cancellati");
  return Status::ok();
}

Result<ClosingErasure> plan_closing_erasure(Context& ctx, std::int64_t ended_before) {
  ended_before = std::min(ended_before, ctx.desk->now());
  auto all = ctx.store->list("");
  if (!all.ok()) return all.status();
  // Each person's registrations not erased yet, in the store's order.
  std::map<std::string, std::vector<const Registration*>> people;
  std::vector<std::string> order;
  std::set<std::string> redacted;
  for (const auto& r : *all) {
    if (!r.erased_at.empty()) continue;
    const std::string key = person_key(r);  // as the report counts people
    auto [it, fresh] = people.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.push_back(&r);
  }
  ClosingErasure plan;
  for (const auto& key : order) {
    const auto& regs = people[key];
    const bool ended = std::all_of(regs.begin(), regs.end(), [&](const Registration* r) {
      const Edition* e = ctx.desk->catalogue().edition(r->edition_id);
      return !e || e->end_utc < ended_before;
    });
    if (!ended) {
      ++plan.people_left;
      continue;
    }
    ++plan.people;
    for (const Registration* r : regs) {
      plan.registrations.push_back({r->code, regs.front()->code});
      ++plan.by_edition[r->edition_id];
      for (const std::string& t : {r->email, r->first_name + " " + r->last_name, r->guardian_name})
        if (redacted.insert(t).second) plan.redact.push_back(t);
    }
  }
  auto proposals = ctx.store->proposals().list("");
  if (!proposals.ok()) return proposals.status();
  for (const auto& p : *proposals) {
    namespace ps = proposal_status;
    const bool over = p.status == ps::kPublished || p.status == ps::kRejected || p.status == ps::kWithdrawn;
    const auto changed = utc_iso_seconds(p.updated_at);
    if (!over || p.erased() || !changed || *changed >= ended_before) continue;
    plan.proposals.push_back(p.code);
    for (const std::string& t : {p.proposer_email, p.proposer_name})
      if (redacted.insert(t).second) plan.redact.push_back(t);
  }
  return plan;
}

Result<ClosingErasure> staff_erase_closed(Context& ctx, const Principal& who, const Req& req,
                                          std::int64_t ended_before) {
  auto plan = plan_closing_erasure(ctx, ended_before);
  if (!plan.ok() || (plan->registrations.empty() && plan->proposals.empty())) return plan;
  // The registrations last: on SQLite their erasure empties the -wal file,
  // which holds the old log lines and proposals until then.
  if (Status s = ctx.store->accounts().redact_audit(plan->redact, staff_view::kErasedMark); !s.is_ok()) return s;
  if (Status s = ctx.store->proposals().erase_proposers(plan->proposals, staff_view::kErasedMark); !s.is_ok()) return s;
  if (Status s = ctx.store->erase_all(plan->registrations); !s.is_ok()) return s;
  std::string editions;
  for (const auto& [id, n] : plan->by_edition) editions += (editions.empty() ? "" : ", ") + id;
  audit(ctx, who, req, "erase_closed", "fine programma",
        "dati personali cancellati di " + text::count_noun(plan->people, "persona", "persone") + " (" +
            text::count_noun(static_cast<int>(plan->registrations.size()), "iscrizione", "iscrizioni") +
            ") delle attività concluse prima del " + rome_short(utc_iso(ended_before)) +
            (editions.empty() ? "" : ": edizioni " + editions) + "; " +
            text::count_noun(static_cast<int>(plan->proposals.size()), "proposta conclusa", "proposte concluse"));
  return plan;
}

}  // namespace bp::registration
