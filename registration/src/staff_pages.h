// The staff back office's pages under /staff/ (issue 10): one route table
// (staff_pages.cc), one file per screen. Every route is built by the staff
// guard; handlers get the Principal and write the audit log through
// staff_actions.h.
#pragma once

#include "http_context.h"
#include "report.h"
#include "staff_actions.h"
#include "staff_view.h"

namespace bp::registration {

using StaffPage = void (*)(Context&, const Principal&, const Req&, Res&);

site::RouteTable staff_routes(Context& c);

// Screens (one file each).
void get_dashboard(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_edition.cc
void get_edition(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_attendance(Context& ctx, const Principal& who, const Req& req, Res& res);
// «Sospendi/Riapri le iscrizioni dal sito» on an edition's page (`azione`:
// sospendi, riapri): BackOfficeStore::pause_registrations, logged.
void post_edition_pause(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_cancel(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_cancel_page(Context& ctx, const Principal& who, const Req& req, Res& res);
// «Sposta»: the other editions of the activity with their free seats, and
// the move (staff_move), saying who got the seat left.
void get_move(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_move(Context& ctx, const Principal& who, const Req& req, Res& res);
// "Conferma" on the edition page: a registration taken by phone, whose
// address the staff vouch for (staff_confirm); back to the edition.
void post_confirm_registration(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_edition_csv(Context& ctx, const Principal& who, const Req& req, Res& res);
// /staff/iscrizioni.csv: every registration of the programme, with its
// activity, kind, hub and edition.
void get_programme_csv(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_signin_sheet(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_write.cc: «Scrivi agli iscritti», the form, its preview and the
// sending (staff_write_edition), with the messages sent before.
void get_edition_write(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_edition_write(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_people.cc
void get_people(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_person(Context& ctx, const Principal& who, const Req& req, Res& res);
// The correction of a registration's contact details (GDPR art. 16, or a
// typo taken by phone): the form, and its POST back to the person's page.
void get_person_correct(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_person_correct(Context& ctx, const Principal& who, const Req& req, Res& res);
// «Iscrivi una persona» from an edition's page: someone who asked by phone
// or at a desk (Desk::register_by_staff).
// An activity log's action code in the staff's words ("cancel":
// «annullamento di un'iscrizione»); the code itself when unknown.
std::string audit_action_label(const std::string& code);
// A note of the staff on a person's registration (BackOfficeStore::add_note).
void post_person_note(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_edition_register(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_edition_register(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_person_data(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_person_data_page(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_person_note_change(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_person_erase(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_person_erase(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_closing.cc: «Fine programma», the erasure of everyone whose
// activities have all ended (plan_closing_erasure()).
void get_closing_erasure(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_closing_erasure(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_inbox.cc
void get_tutoring(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_tutoring(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_messages(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_message_retry(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_report.cc
void get_report(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_report_csv(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_searches.cc (what people search, for the editors)
void get_searches(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_searches_csv(Context& ctx, const Principal& who, const Req& req, Res& res);
// staff_accounts.cc
void get_accounts(Context& ctx, const Principal& who, const Req& req, Res& res);
// Every signed-in account changes its own password (the first one was told
// aloud by an admin): the current one, the new one twice; every session of
// the account ends, this one too.
void get_own_password(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_own_password(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_account_add(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_account_password(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_account_state(Context& ctx, const Principal& who, const Req& req, Res& res);
// A new role for another account (an admin's own role stays: the programme
// always keeps an admin who can give it back); effective at its next request.
void post_account_role(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_token_add(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_token_revoke(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_audit(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_audit_csv(Context& ctx, const Principal& who, const Req& req, Res& res);

// Answers an engine failure on a staff page: 404 page for NotFound, a
// message page with the reason for Invalid/Conflict, 503 otherwise.
void send_staff_error(Context& ctx, const Principal& who, Res& res, const Status& s);
// The «Dal» and «Al» of the report and of the activity log, as typed
// (`dal`, `al`). A period that cannot be read (a malformed date, the end
// before the start) leaves `period` open and gives `error`, the Italian
// message the page shows at the two fields, which keep what was typed.
struct PeriodChoice {
  Period period;
  std::string from, to;  // as typed
  std::string error;
  // The report's «Conta»: `per=iscrizione` counts the registrations made in
  // the period; else those to the activities held in it.
  bool by_registration = false;
  // "from", "to", "period_error" and "by_registration" for the partial
  // staff_period and the report's form.
  nlohmann::json view() const;
  // "?dal=…&al=…[&per=iscrizione]" for a link that keeps the period ("" when open).
  std::string query() const;
};
PeriodChoice chosen_period(const Req& req);

// 303 to `location` (after a POST: the page shows the result).
void redirect(Res& res, const std::string& location);

}  // namespace bp::registration
