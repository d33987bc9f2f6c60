#include "store_rules.h"

#include <algorithm>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "crypto.h"

namespace bp::registration {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

void renew_links(Registration& r) {
  r.token = random_base32(kTokenBytes);
  r.token_hash = sha256(r.token);
  if (r.status == "pending") {
    r.confirm_token = random_base32(kTokenBytes);
    r.confirm_hash = sha256(r.confirm_token);
  }
}

bool is_active(const std::string& status) {
  return status == "pending" || status == "confirmed" || status == "waitlisted";
}

std::string guardian_of(const Registration& r) {
  return r.age_band == "under-14" && r.erased_at.empty() ? r.guardian_name : "";
}

bool apply_correction(Registration& r, const ContactCorrection& c, std::int64_t now, int hold_seconds) {
  const bool moved = lower_ascii(c.email) != lower_ascii(r.email);
  r.first_name = c.first_name;
  r.last_name = c.last_name;
  r.email = c.email;
  r.organisation = c.organisation;
  r.role = c.role;
  r.region = c.region;
  r.age_band = c.age_band;
  if (moved && is_active(r.status)) {
    renew_links(r);
    if (r.status == "pending" && hold_seconds > 0) r.hold_expires_at = std::max(r.hold_expires_at, now + hold_seconds);
  }
  return moved;
}

Status nothing_to_correct() {
  return Status::conflict("i dati personali di questa iscrizione sono stati cancellati: non c'è nulla da correggere");
}

Status correction_refusal(const Registration& r, const ContactCorrection& c, const std::vector<HeldPlace>& held) {
  const HeldPlace* other = held_among(held, r.edition_id, c.sibling_editions);
  if (!other) return Status::ok();
  const std::string who = r.guardian_name.empty() ? "l'indirizzo " + c.email
                                                  : c.first_name + " " + c.last_name + " con l'indirizzo " + c.email;
  const std::string where = other->edition_id == r.edition_id
                                ? "a questa edizione"
                                : "all'edizione " + other->edition_id + " della stessa attività";
  return Status::conflict(who + " ha già un'iscrizione attiva " + where + " (codice " + other->code +
                          "): annulla una delle due prima di correggere i dati");
}

Registration corrected_person(const Registration& r, const ContactCorrection& c) {
  Registration after = r;
  after.email = c.email;
  after.first_name = c.first_name;
  after.last_name = c.last_name;
  return after;
}

Status check_confirm(const Registration& r) {
  if (!r.erased_at.empty())
    return Status::conflict("i dati di questa iscrizione sono stati cancellati: non si può più confermare");
  if (r.status != "pending") return Status::conflict("l'iscrizione è stata annullata e non si può più confermare");
  return Status::ok();
}

Status check_move(const Registration& r, const std::string& from, const std::string& to) {
  if (r.edition_id != from)
    return Status::conflict("nel frattempo l'iscrizione è passata all'edizione " + r.edition_id +
                            ": ricarica la pagina prima di spostarla");
  if (r.edition_id == to) return Status::invalid("l'iscrizione è già a questa edizione");
  if (!r.erased_at.empty())
    return Status::conflict("i dati personali di questa iscrizione sono stati cancellati: non si può spostare");
  if (!is_active(r.status))
    return Status::conflict("si sposta solo un'iscrizione attiva (confermata, da confermare o in lista d'attesa)");
  return Status::ok();
}

Status no_seat_to_move(const std::string& to) { return Status::conflict("l'edizione " + to + " non ha posti liberi"); }

bool same_person(const Registration& a, const Registration& b) {
  if (a.email.empty() || lower_ascii(a.email) != lower_ascii(b.email)) return false;
  if (a.guardian_name.empty() != b.guardian_name.empty()) return false;
  // Names in every letter's case, as PostgreSQL's lower() in the unique
  // index: «Élia» and «élia» are one child on both engines.
  return a.guardian_name.empty() || (text::lower(a.first_name) == text::lower(b.first_name) &&
                                     text::lower(a.last_name) == text::lower(b.last_name));
}

const HeldPlace* held_among(const std::vector<HeldPlace>& held, const std::string& edition,
                            const std::vector<std::string>& siblings) {
  for (const auto& h : held)
    if (h.edition_id == edition) return &h;
  for (const auto& h : held)
    if (std::find(siblings.begin(), siblings.end(), h.edition_id) != siblings.end()) return &h;
  return nullptr;
}

Status duplicate_refusal(const NewRegistration& in, const std::vector<HeldPlace>& held) {
  const HeldPlace* other = held_among(held, in.person.edition_id, in.sibling_editions);
  if (!other) return Status::ok();
  if (other->edition_id == in.person.edition_id)
    return Status::conflict(in.already_registered.empty() ? kAlreadyRegistered : in.already_registered);
  return Status::conflict(in.already_in_activity.empty() ? kAlreadyInActivity : in.already_in_activity);
}

Status registered_since(const Registration& r, const std::vector<std::string>& siblings,
                        const std::vector<HeldPlace>& held) {
  const HeldPlace* other = held_among(held, r.edition_id, siblings);
  if (!other) return Status::ok();
  return Status::conflict(other->edition_id == r.edition_id ? kHoldLapsedRegisteredAgain : kAlreadyInActivity);
}

Status already_in(const std::string& to, const std::string& other_code) {
  return Status::conflict("questo indirizzo ha già un'iscrizione attiva all'edizione " + to + " (codice " + other_code +
                          ")");
}

void apply_move(Registration& r, const std::string& to, const std::string& now) {
  r.edition_id = to;
  r.position = 0;
  r.attended = false;
  if (r.status == "waitlisted") {
    r.status = "confirmed";
    r.confirmed_at = now;
  }
}

void promote(Registration& next, std::int64_t now, std::int64_t hold_until) {
  next.promoted_at = utc_iso(now);
  if (hold_until > 0) {
    next.status = "pending";
    next.hold_expires_at = hold_until;
    next.confirm_token = random_base32(kTokenBytes);
    next.confirm_hash = sha256(next.confirm_token);
  } else {
    next.status = "confirmed";
    next.confirmed_at = next.promoted_at;
  }
}

int offer_hold_seconds(int hold_seconds, int offer_seconds) {
  return hold_seconds > 0 ? std::max(hold_seconds, offer_seconds) : 0;
}

OfferTerms::OfferTerms(int hold_seconds, int offer_seconds)
    : hold_seconds_(hold_seconds), offer_seconds_(offer_hold_seconds(hold_seconds, offer_seconds)) {}

void OfferTerms::learn(const std::vector<EditionSeats>& editions) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : editions) {
    first_meeting_[e.id] = e.first_meeting;
    ends_[e.id] = e.ends;
  }
}

bool OfferTerms::fills_freed_seats(const std::string& edition, std::int64_t now) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = ends_.find(edition);
  return it == ends_.end() || it->second <= 0 || now < it->second;
}

std::int64_t OfferTerms::hold_until(const std::string& edition, std::int64_t now) const {
  if (hold_seconds_ <= 0) return 0;
  std::int64_t until = now + offer_seconds_;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = first_meeting_.find(edition); it != first_meeting_.end() && it->second > now)
    until = std::min(until, it->second);
  return std::max(until, now + hold_seconds_);
}

Redactor::Redactor(const std::vector<std::string>& texts) {
  for (const auto& t : texts)
    if (t.size() > 3) {
      std::string lower = lower_ascii(t);
      by_start_[lower.substr(0, 4)].push_back(std::move(lower));
    }
  // The longest first: «Anna Maria Rossi» before «Anna Maria».
  for (auto& [start, list] : by_start_)
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(const std::string& s, const std::string& replacement) const {
  const std::string lower = lower_ascii(s);
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i + 4 <= lower.size();) {
    const auto it = by_start_.find(lower.substr(i, 4));
    const std::string* hit = nullptr;
    if (it != by_start_.end())
      for (const auto& t : it->second)
        if (lower.compare(i, t.size(), t) == 0) {
          hit = &t;
          break;
        }
    if (!hit) {
      ++i;
      continue;
    }
    out.append(s, copied, i - copied).append(replacement);
    i += hit->size();
    copied = i;
  }
  return copied == 0 ? s : out.append(s, copied);
}

}  // namespace bp::registration
