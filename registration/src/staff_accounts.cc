// Accounts and API tokens (admin) and the audit log (admin: read, filter,
// export).
#include "bp/civil_time.h"
#include "bp/registration/account_admin.h"
#include "bp/text.h"
#include "report.h"
#include "staff_pages.h"

namespace bp::registration {

namespace {

using nlohmann::json;

// The roles as the forms offer them.
constexpr Role kRoleOrder[] = {Role::kStaff, Role::kEditor, Role::kAdmin};

PasswordCostOptions cost_of(const Context& ctx) {
  return {ctx.options.password_passes, ctx.options.password_memory_bytes};
}

void accounts_page(Context& ctx, const Principal& who, Res& res, json extra) {
  auto accounts = ctx.store->accounts().list_accounts();
  if (!accounts.ok()) return send_staff_error(ctx, who, res, accounts.status());
  auto tokens = ctx.store->accounts().list_tokens(0);
  if (!tokens.ok()) return send_staff_error(ctx, who, res, tokens.status());
  json list = json::array();
  for (const auto& a : *accounts) {
    json role_options = json::array();
    for (Role r : kRoleOrder)
      role_options.push_back({{"value", role_name(r)}, {"label", role_label(r)}, {"selected", r == a.role}});
    list.push_back({{"id", a.id},
                    {"email", a.email},
                    {"role", role_label(a.role)},
                    {"role_options", role_options},
                    {"disabled", a.disabled},
                    {"last_login", rome_short(a.last_login_at)},
                    {"is_me", a.id == who.account_id}});
  }
  json tlist = json::array();
  for (const auto& t : *tokens)
    tlist.push_back({{"id", t.id},
                     {"email", t.account_email},
                     {"label", t.label},
                     {"created", rome_short(t.created_at)},
                     {"used", rome_short(t.last_used_at)},
                     {"revoked", rome_short(t.revoked_at)},
                     {"active", t.revoked_at.empty()}});
  json roles = json::array();
  for (Role r : kRoleOrder) roles.push_back({{"value", role_name(r)}, {"label", role_label(r)}});
  json view = {{"section", "account"}, {"accounts", list}, {"tokens", tlist}, {"roles", roles}};
  for (auto& [k, v] : extra.items()) view[k] = v;
  // The store's reason («la password è tra quelle più usate…») is the notice's sentence.
  if (extra.contains("error") && extra["error"].is_string())
    view["error"] = text::capitalised(extra["error"].get<std::string>());
  ctx.guard->send_page(who, res, "staff_accounts", "Account e token", view, extra.contains("error") ? 400 : 200);
}

}  // namespace

void get_accounts(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string done = req.get_param_value("fatto");
  if (done.empty()) return accounts_page(ctx, who, res, json::object());
  // What was done, to whom: the account (or token) by its id in the link.
  const std::int64_t id = std::atoll(req.get_param_value("id").c_str());
  std::string text = "Fatto.";
  if (done == "revocato") {
    if (auto tokens = ctx.store->accounts().list_tokens(0); tokens.ok())
      for (const auto& t : *tokens)
        if (t.id == id) text = "Token «" + t.label + "» di " + t.account_email + " revocato: non apre più nulla.";
  } else if (auto a = ctx.store->accounts().account_by_id(id); a.ok()) {
    if (done == "creato")
      text = "Account " + a->email + " creato (" + role_label(a->role) +
             "): comunica la password a voce; la persona potrà cambiarla da «Cambia password».";
    else if (done == "password")
      text = "Nuova password per " + a->email + ": le sue sessioni aperte sono state chiuse.";
    else if (done == "ruolo")
      text = "Account " + a->email + ": ora ha il ruolo «" + role_label(a->role) + "», dalla sua prossima pagina.";
    else if (done == "stato")
      text = a->disabled ? "Account " + a->email + " disattivato: le sue sessioni e i suoi token non funzionano più."
                         : "Account " + a->email + " riattivato.";
  }
  accounts_page(ctx, who, res, {{"notice", done}, {"notice_text", text}});
}

void post_account_add(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto f = http::form_fields(req);
  const auto role = parse_role(f["ruolo"]);
  if (!role) return accounts_page(ctx, who, res, {{"error", "ruolo non previsto"}});
  auto a = create_account(ctx.store->accounts(), f["email"], *role, f["password"], cost_of(ctx));
  if (!a.ok()) return accounts_page(ctx, who, res, {{"error", a.status().message()}});
  audit(ctx, who, req, "account_add", a->email, std::string("ruolo ") + role_label(*role));
  redirect(res, "/staff/account?fatto=creato&id=" + std::to_string(a->id));
}

void post_account_password(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto account = ctx.store->accounts().account_by_id(std::atoll(req.matches[1].str().c_str()));
  if (!account.ok()) return send_staff_error(ctx, who, res, account.status());
  if (Status s = reset_password(ctx.store->accounts(), account->email, http::form_fields(req)["password"], cost_of(ctx));
      !s.is_ok())
    return accounts_page(ctx, who, res, {{"error", s.message()}});
  audit(ctx, who, req, "password_reset", account->email, "password reimpostata, sessioni chiuse");
  redirect(res, "/staff/account?fatto=password&id=" + std::to_string(account->id));
}

void get_own_password(Context& ctx, const Principal& who, const Req&, Res& res) {
  ctx.guard->send_page(who, res, "staff_password", "Cambia la tua password",
                       {{"section", "password"}, {"shared_token", who.account_id == 0}});
}

void post_own_password(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto again = [&](const std::string& error, int status = 400) {
    ctx.guard->send_page(who, res, "staff_password", "Cambia la tua password",
                         {{"section", "password"}, {"error", text::sentence(error)}}, status);
  };
  if (who.account_id == 0) return again("con il token condiviso non c'è una password da cambiare");
  auto account = ctx.store->accounts().account_by_id(who.account_id);
  if (!account.ok()) return send_staff_error(ctx, who, res, account.status());
  auto f = http::form_fields(req);
  switch (ctx.guard->check_own_password(who, req, f["attuale"])) {
    case StaffGuard::PasswordCheck::kRight:
      break;
    case StaffGuard::PasswordCheck::kWrong:
      return again("la password attuale non è corretta");
    case StaffGuard::PasswordCheck::kThrottled:
      return again("troppi tentativi non riusciti con la password attuale: riprova tra qualche minuto", 429);
  }
  if (f["nuova"] != f["ripeti"]) return again("le due nuove password non sono uguali: scrivile di nuovo");
  if (f["nuova"] == f["attuale"]) return again("la nuova password è uguale a quella attuale");
  if (Status s = reset_password(ctx.store->accounts(), account->email, f["nuova"], cost_of(ctx)); !s.is_ok())
    return again(s.message());
  audit(ctx, who, req, "password_change", account->email, "password cambiata da chi la usa, sessioni chiuse");
  redirect(res, "/staff/login?password=cambiata");
}

void post_account_state(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto account = ctx.store->accounts().account_by_id(std::atoll(req.matches[1].str().c_str()));
  if (!account.ok()) return send_staff_error(ctx, who, res, account.status());
  const bool disable = !account->disabled;
  if (disable && account->id == who.account_id)
    return accounts_page(ctx, who, res, {{"error", "non puoi disattivare il tuo stesso account"}});
  if (Status s = ctx.store->accounts().set_disabled(account->id, disable); !s.is_ok())
    return send_staff_error(ctx, who, res, s);
  audit(ctx, who, req, disable ? "account_disable" : "account_enable", account->email);
  redirect(res, "/staff/account?fatto=stato&id=" + std::to_string(account->id));
}

void post_account_role(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto account = ctx.store->accounts().account_by_id(std::atoll(req.matches[1].str().c_str()));
  if (!account.ok()) return send_staff_error(ctx, who, res, account.status());
  const auto role = parse_role(http::form_fields(req)["ruolo"]);
  if (!role) return accounts_page(ctx, who, res, {{"error", "ruolo non previsto"}});
  if (account->id == who.account_id)
    return accounts_page(
        ctx, who, res,
        {{"error", "non puoi cambiare il tuo stesso ruolo: chiedilo a un altro account di amministrazione"}});
  if (*role == account->role) return redirect(res, "/staff/account?fatto=ruolo&id=" + std::to_string(account->id));
  if (Status s = ctx.store->accounts().set_role(account->id, *role); !s.is_ok())
    return send_staff_error(ctx, who, res, s);
  audit(ctx, who, req, "account_role", account->email,
        std::string("da ") + role_label(account->role) + " a " + role_label(*role));
  redirect(res, "/staff/account?fatto=ruolo&id=" + std::to_string(account->id));
}

void post_token_add(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto f = http::form_fields(req);
  auto account = ctx.store->accounts().find_account(f["email"].empty() ? who.email : f["email"]);
  if (!account.ok()) return accounts_page(ctx, who, res, {{"error", "account inesistente"}});
  const std::string label = f["etichetta"].empty() ? "token" : f["etichetta"].substr(0, 100);
  auto token = create_api_token(ctx.store->accounts(), account->id, label);
  if (!token.ok()) return send_staff_error(ctx, who, res, token.status());
  audit(ctx, who, req, "token_add", account->email, "token «" + label + "»");
  // Shown once, in this answer only (no-store): never in a URL or a log.
  accounts_page(ctx, who, res, {{"new_token", *token}, {"new_token_email", account->email}});
}

void post_token_revoke(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::int64_t id = std::atoll(req.matches[1].str().c_str());
  if (Status s = ctx.store->accounts().revoke_token(id, 0); !s.is_ok()) return send_staff_error(ctx, who, res, s);
  audit(ctx, who, req, "token_revoke", "token " + std::to_string(id));
  redirect(res, "/staff/account?fatto=revocato&id=" + std::to_string(id));
}

namespace {

// The registry's actions (their codes are stored and exported as they are)
// in the staff's words, in the order of the filter.
const std::vector<std::pair<std::string, std::string>>& audit_actions() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"login", "accesso"},
      {"login_failed", "accesso non riuscito"},
      {"login_throttled", "accesso bloccato (troppi tentativi)"},
      {"logout", "uscita"},
      {"list", "elenco iscritti"},
      {"search", "ricerca di persone"},
      {"view_person", "scheda di una persona"},
      {"register", "iscrizione presa dallo staff"},
      {"confirm", "conferma di un'iscrizione"},
      {"cancel", "annullamento di un'iscrizione"},
      {"move", "spostamento di un'iscrizione a un'altra edizione"},
      {"pause", "iscrizioni dal sito sospese"},
      {"resume", "iscrizioni dal sito riaperte"},
      {"attendance", "presenze"},
      {"tutoring", "richiesta di tutoraggio"},
      {"export", "esportazione"},
      {"correct", "correzione dei dati di una persona"},
      {"note", "nota interna su una persona"},
      {"export_person", "esportazione dei dati di una persona"},
      {"erase", "cancellazione dei dati di una persona"},
      {"erase_closed", "cancellazione di fine programma"},
      {"erase_proposer", "cancellazione dei dati di chi ha proposto una pratica"},
      {"outbox", "messaggi"},
      {"message_retry", "nuovo invio di un messaggio"},
      {"write", "messaggio agli iscritti di un'edizione"},
      {"report", "rendicontazione"},
      {"audit_view", "registro attività"},
      {"account_add", "nuovo account"},
      {"account_disable", "account disattivato"},
      {"account_enable", "account riattivato"},
      {"account_role", "ruolo cambiato"},
      {"password_reset", "nuova password"},
      {"password_change", "cambio della propria password"},
      {"token_add", "nuovo token"},
      {"token_revoke", "token revocato"},
      // The editors' proposals inbox.
      {"proposal.review", "proposta presa in revisione"},
      {"proposal.accept", "proposta accettata"},
      {"proposal.reject", "proposta respinta"},
      {"proposal.request-changes", "richiesta di modifiche a una proposta"},
      {"proposal.comment", "commento su una proposta"},
      {"proposal.edit", "proposta corretta dalla redazione"},
      {"proposal.image", "immagine di una proposta"},
      {"proposal.pulled", "proposta entrata nella biblioteca"},
  };
  return k;
}

// The page shows this many lines, the newest; the CSV gives up to
// kAuditCsvRows and refuses more (never a list cut without saying so).
constexpr int kAuditPageRows = 5000;
constexpr int kAuditCsvRows = 100000;

// The period's lines, newest first: `limit` + 1 at most, so that the
// caller can tell whether there were more.
Result<std::vector<AuditEntry>> audit_rows(Context& ctx, const Req& req, const Period& p, int limit) {
  AuditQuery q;
  q.since = p.from_utc;
  q.until = p.to_utc;
  q.action = req.get_param_value("azione");
  q.limit = limit + 1;
  return ctx.store->accounts().audit(q);
}

}  // namespace

std::string audit_action_label(const std::string& code) {
  for (const auto& [c, label] : audit_actions())
    if (c == code) return label;
  return code;
}

void get_audit(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const PeriodChoice chosen = chosen_period(req);
  auto rows = chosen.error.empty() ? audit_rows(ctx, req, chosen.period, kAuditPageRows) : std::vector<AuditEntry>{};
  if (!rows.ok()) return send_staff_error(ctx, who, res, rows.status());
  const bool more = rows->size() > static_cast<std::size_t>(kAuditPageRows);
  if (more) rows->resize(kAuditPageRows);
  json list = json::array();
  for (const auto& e : *rows)
    list.push_back({{"at", rome_short(e.at)},
                    {"at_iso", e.at},
                    {"actor", e.actor},
                    {"address", e.address},
                    {"action", audit_action_label(e.action)},
                    {"target", e.target},
                    {"details", e.details}});
  const std::string chosen_action = req.get_param_value("azione");
  json actions = json::array();
  for (const auto& [code, label] : audit_actions())
    actions.push_back({{"value", code}, {"label", label}, {"selected", code == chosen_action}});
  audit(ctx, who, req, "audit_view", "registro attività");
  json view = chosen.view();
  view.update({{"section", "registro"},
               {"rows", list},
               {"more", more},
               {"actions", actions},
               {"query", "?dal=" + chosen.period.from + "&al=" + chosen.period.to + "&azione=" + chosen_action}});
  ctx.guard->send_page(who, res, "staff_audit", "Registro attività", view, chosen.error.empty() ? 200 : 400);
}

void get_audit_csv(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const PeriodChoice chosen = chosen_period(req);
  if (!chosen.error.empty()) return send_staff_error(ctx, who, res, Status::invalid(chosen.error));
  auto rows = audit_rows(ctx, req, chosen.period, kAuditCsvRows);
  if (!rows.ok()) return send_staff_error(ctx, who, res, rows.status());
  if (rows->size() > static_cast<std::size_t>(kAuditCsvRows))
    return send_staff_error(ctx, who, res,
                            Status::invalid("il registro del periodo ha più di 100.000 righe: scegli un periodo più "
                                            "breve e scaricalo in più parti"));
  // As the page shows them: the time in Italy, the action in words.
  std::vector<std::vector<std::string>> out = {
      {"Quando (ora italiana)", "Chi", "Da indirizzo", "Azione", "Su cosa", "Dettagli"}};
  for (const auto& e : *rows)
    out.push_back({rome_short(e.at), e.actor, e.address, audit_action_label(e.action), e.target, e.details});
  audit(ctx, who, req, "export", "registro attività", std::to_string(rows->size()) + " righe");
  res.set_header("Content-Disposition", "attachment; filename=\"registro-attivita.csv\"");
  res.set_content(staff_view::csv_document(out), "text/csv; charset=utf-8");
}

}  // namespace bp::registration
