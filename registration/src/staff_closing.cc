// «Fine programma»: the erasure the privacy notice promises once the
// programme and its reporting are over (plan_closing_erasure() and
// staff_erase_closed() in staff_actions.cc decide and do it; this page
// shows what would go, asks for the typed confirmation and says what went).
// Admins only, like the erasure of one person.
#include <algorithm>
#include <cstdlib>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/text.h"
#include "staff_pages.h"

namespace bp::registration {

namespace {

using nlohmann::json;

// The day chosen in «Attività concluse entro il», as typed, and the moment
// it stands for (the end of that day in Italy, never later than now).
struct Cutoff {
  std::string day;  // "YYYY-MM-DD"
  std::int64_t ended_before = 0;
  std::string error;  // Italian, for the field
};

Cutoff chosen_cutoff(Context& ctx, const std::string& typed) {
  Cutoff c;
  const std::int64_t now = ctx.desk->now();
  c.day = text::trim(typed);
  if (c.day.empty()) c.day = rome_local(now).substr(0, 10);
  auto end = rome_to_utc(c.day, /*end_of_day=*/true);
  if (!end.ok() || c.day.size() != 10) {
    c.error = "data non valida: scrivila come 2027-12-31";
    return c;
  }
  c.ended_before = std::min(*end + 60, now);  // end_of_day is 23:59
  return c;
}

// "2 persone (3 iscrizioni)", "chi ha inviato 1 proposta conclusa", or both
// joined by `joint` (" e chi ha inviato ", " e di chi ha inviato "); ""
// when there is nothing.
std::string figures_text(long long people, long long registrations, long long proposals, const std::string& joint) {
  std::string out;
  if (people > 0)
    out = text::count_noun(people, "persona", "persone") + " (" +
          text::count_noun(registrations, "iscrizione", "iscrizioni") + ")";
  if (proposals > 0)
    out += (out.empty() ? "chi ha inviato " : joint) +
           text::count_noun(proposals, "proposta conclusa", "proposte concluse");
  return out;
}

// The page for a valid cutoff (its day is a checked YYYY-MM-DD).
std::string page_url(const Cutoff& c) { return "/staff/fine-programma?fino_al=" + c.day; }

}  // namespace

void get_closing_erasure(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const Cutoff cutoff = chosen_cutoff(ctx, req.get_param_value("fino_al"));
  json view = {{"section", "fine-programma"},
               {"day", cutoff.day},
               {"day_error", cutoff.error},
               {"day_label", after_preposition("entro il", italian_date(cutoff.day))},
               {"confirm_error", req.get_param_value("errore") == "1"}};
  // What the last erasure did, from the redirect after it: two numbers,
  // read as numbers (a link cannot make the page say anything else).
  const long long people = std::max(0LL, std::atoll(req.get_param_value("persone").c_str()));
  const long long registrations = std::max(0LL, std::atoll(req.get_param_value("iscrizioni").c_str()));
  const long long proposals = std::max(0LL, std::atoll(req.get_param_value("proposte").c_str()));
  if (req.has_param("persone")) {
    const std::string done = figures_text(people, registrations, proposals, " e di chi ha inviato ");
    view["done_text"] =
        done.empty() ? "Non c'era nessun dato da cancellare." : "Cancellati i dati personali di " + done + ".";
  }
  if (cutoff.error.empty()) {
    auto plan = plan_closing_erasure(ctx, cutoff.ended_before);
    if (!plan.ok()) return send_staff_error(ctx, who, res, plan.status());
    const Catalogue& catalogue = ctx.desk->catalogue();
    json editions = json::array();
    for (const auto& [id, n] : plan->by_edition) {
      const Edition* e = catalogue.edition(id);
      const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
      editions.push_back({{"id", id},
                          {"title", a ? a->title : "edizione non più nel programma"},
                          {"ended", e ? italian_date(e->end_local.substr(0, 10)) : ""},
                          {"count", n}});
    }
    view["editions"] = editions;
    view["nothing"] = plan->people == 0 && plan->proposals.empty();
    view["has_editions"] = !editions.empty();
    view["figures_text"] = figures_text(plan->people, static_cast<long long>(plan->registrations.size()),
                                        static_cast<long long>(plan->proposals.size()), " e chi ha inviato ");
    view["left_text"] = plan->people_left == 0 ? ""
                                               : text::count_noun(plan->people_left, "persona", "persone") +
                                                     (plan->people_left == 1 ? ", che ha" : ", che hanno");
  }
  ctx.guard->send_page(who, res, "staff_closing", "Cancellazione di fine programma", view);
}

void post_closing_erasure(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto fields = http::form_fields(req);
  const Cutoff cutoff = chosen_cutoff(ctx, fields["fino_al"]);
  // Only a forged form sends a day the page did not write: back to today.
  if (!cutoff.error.empty()) return redirect(res, "/staff/fine-programma");
  // The typed word is the confirmation: a click alone cannot erase.
  if (text::trim(fields["conferma"]) != "CANCELLA") return redirect(res, page_url(cutoff) + "&errore=1");
  auto done = staff_erase_closed(ctx, who, req, cutoff.ended_before);
  if (!done.ok()) return send_staff_error(ctx, who, res, done.status());
  redirect(res, page_url(cutoff) + "&persone=" + std::to_string(done->people) + "&iscrizioni=" +
                    std::to_string(done->registrations.size()) + "&proposte=" + std::to_string(done->proposals.size()));
}

}  // namespace bp::registration
