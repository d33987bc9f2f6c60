// The registration form. Without JavaScript it is a plain POST to
// /api/registrations (form-urlencoded; the server answers with a page).
// With JavaScript it sends JSON with an Idempotency-Key, shows the server's
// field errors beside each field and a summary on top, and replaces the form
// with the confirmation (code, waiting list, cancellation link).
import { register, ApiError } from './api.js';
import { el } from './format.js';
import { attachEmailHint } from './email-hint.js';

const BOOLEAN_FIELDS = new Set(['consent', 'guardian_consent']);
// Who the person is, kept for their next registration on this page.
const PERSON_FIELDS = new Set(['first_name', 'last_name', 'email', 'organisation', 'role', 'region', 'age_band',
  'guardian_name']);
const LABELS = {
  edition: 'Edizione', topic: 'Argomento', needs: 'Bisogni', first_name: 'Nome', last_name: 'Cognome',
  email: 'E-mail', organisation: 'Ente', role: 'Ruolo', region: 'Regione', age_band: 'Fascia d\'età',
  guardian_name: 'Genitore o tutore', guardian_consent: 'Consenso del genitore', consent: 'Consenso',
  notes: 'Note', privacy_version: 'Informativa',
};

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class RegistrationForm {
  constructor(form, { summary, confirmation }) {
    this.form = form;
    this.summary = summary;
    this.confirmation = confirmation;
    this.key = null;
    this.lastPrint = null;
    this.sending = false;
    this.kindGroup = form.querySelector('#kind-group');
    this.tutoring = form.querySelector('#tutoring-fields');
    this.editionField = form.querySelector('#field-edition');
    this.guardian = form.querySelector('#guardian-fields');
    this.requiredNote = document.getElementById('required-note');
    this.kindGroup.hidden = false;
    form.querySelector('#edition-hint').textContent = 'Scegli l\'attività, l\'hub e la data.';
    form.addEventListener('change', (event) => this.onChange(event));
    // A corrected field loses its error as soon as it is typed in, not when
    // it is left: the error's line going away under a finger moved the
    // next control up between touch and click, and the tap missed it.
    form.addEventListener('input', (event) => this.onInput(event));
    form.addEventListener('submit', (event) => this.onSubmit(event));
    const email = form.querySelector('#email');
    if (email) attachEmailHint(email);
    this.sync();
  }

  onChange(event) {
    const target = event.target;
    if (target.name === 'kind' || target.name === 'age_band') this.sync();
    this.onInput(event);
  }

  onInput(event) {
    const target = event.target;
    if (target.name && target.getAttribute('aria-invalid') === 'true') this.clearError(target.name);
  }

  kind() {
    const checked = this.form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : 'edition';
  }

  // Shows only the fields that apply: tutoring or edition, guardian for under-14.
  sync() {
    const tutoring = this.kind() === 'tutoring';
    this.tutoring.hidden = !tutoring;
    this.editionField.hidden = tutoring;
    const under14 = this.form.querySelector('input[name="age_band"]:checked')?.value === 'under-14';
    this.guardian.hidden = !under14;
  }

  setKind(kind) {
    const radio = this.form.querySelector(`input[name="kind"][value="${kind}"]`);
    if (radio) radio.checked = true;
    this.sync();
  }

  fields() {
    const data = new FormData(this.form);
    const out = {};
    for (const [name, value] of data.entries()) out[name] = typeof value === 'string' ? value.trim() : value;
    // Said, not guessed from the fields filled: a tutoring request without
    // its topic is told about the topic, not about an edition.
    out.kind = this.kind();
    for (const name of BOOLEAN_FIELDS) out[name] = data.get(name) === 'true';
    if (this.kind() === 'tutoring') {
      delete out.edition;
    } else {
      delete out.topic;
      delete out.needs;
    }
    if (this.guardian.hidden) {
      delete out.guardian_name;
      out.guardian_consent = false;
    }
    return out;
  }

  control(name) {
    return this.form.querySelector(`[name="${name}"]:not([type="hidden"])`);
  }

  clearErrors() {
    for (const node of this.form.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
    for (const node of this.form.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of this.form.querySelectorAll('.has-error')) node.classList.remove('has-error');
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  clearError(name) {
    const message = this.form.querySelector(`#${CSS.escape(name)}-error`);
    if (message) message.textContent = '';
    for (const node of this.form.querySelectorAll(`[name="${name}"]`)) node.removeAttribute('aria-invalid');
    const group = document.getElementById(name);
    if (group) group.removeAttribute('aria-invalid');
  }

  // fields: name -> message (Italian, from the server).
  // `link`: {href, label} of a way out, shown under the list.
  showErrors(fields, message, link = null) {
    const items = [];
    // In the order of the form, not the server's (alphabetical) order.
    const order = [...this.form.elements].map((element) => element.name);
    const rank = (name) => (order.includes(name) ? order.indexOf(name) : order.length);
    const entries = Object.entries(fields || {}).sort((a, b) => rank(a[0]) - rank(b[0]));
    for (const [name, text] of entries) {
      const slot = this.form.querySelector(`#${CSS.escape(name)}-error`);
      const control = this.control(name);
      if (slot) {
        slot.textContent = text;
        slot.closest('.field, .form-group')?.classList.add('has-error');
      }
      if (control) {
        for (const node of this.form.querySelectorAll(`[name="${name}"]`)) node.setAttribute('aria-invalid', 'true');
      }
      const targetId = control ? control.id : (document.getElementById(name) ? name : '');
      const label = LABELS[name] || name;
      items.push(el('li', {}, targetId
        ? el('a', { href: `#${targetId}` }, `${label}: ${text}`)
        : `${label}: ${text}`));
    }
    // replaceChildren writes a null as the text "null": only the parts there are.
    this.summary.replaceChildren(...[
      el('h3', {}, message || 'Controlla i dati inseriti'),
      items.length ? el('ul', {}, ...items) : null,
      link ? el('p', {}, el('a', { href: link.href }, link.label)) : null].filter(Boolean));
    this.summary.hidden = false;
    this.summary.focus();
  }

  async onSubmit(event) {
    event.preventDefault();
    if (this.sending) return;
    this.clearErrors();
    const button = this.form.querySelector('button[type="submit"]');
    this.sending = true;
    button.disabled = true;
    button.textContent = 'Invio in corso…';
    // One Idempotency-Key per content: a retry of the same data (after a
    // lost answer) cannot register twice; changed data is a new request.
    const fields = this.fields();
    const print = JSON.stringify(fields);
    if (print !== this.lastPrint) {
      this.key = newKey();
      this.lastPrint = print;
    }
    try {
      const answer = await register(fields, { idempotencyKey: this.key });
      this.lastPrint = null;
      this.showConfirmation(answer);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        this.showErrors({}, 'Non è stato possibile inviare l\'iscrizione: controlla la connessione e riprova.');
      } else if (error.status === 400 && error.body.fields) {
        this.showErrors(error.body.fields, 'Alcuni dati vanno corretti');
      } else if (error.status === 409) {
        // Registrations this address already has (the same edition, or
        // too many to confirm): their links are in the e-mails sent, as the
        // page without JavaScript says.
        this.showErrors(error.body.fields || { email: error.message }, 'Controlla la tua e-mail', {
          href: '/iscrizione/nuovo-link', label: 'Non trovi l\'e-mail? Fatti inviare di nuovo i link',
        });
      } else if (error.status === 429) {
        this.showErrors({}, 'Troppe richieste in poco tempo: attendi un minuto e riprova.');
      } else {
        this.showErrors({}, error.body.message || 'Il servizio di iscrizione non è disponibile: riprova tra poco.');
      }
    } finally {
      this.sending = false;
      button.disabled = false;
      button.textContent = 'Invia l\'iscrizione';
    }
  }

  showConfirmation(answer) {
    const waitlisted = answer.status === 'waitlisted';
    // "pending": the seat is held until the person opens the link sent by e-mail.
    const pending = answer.status === 'pending';
    const title = waitlisted ? 'Sei in lista d\'attesa' : pending ? 'Conferma la tua iscrizione dalla e-mail' : 'Iscrizione confermata';
    const parts = [
      el('h3', {}, title),
      el('p', {}, 'Il tuo codice di iscrizione è ', el('strong', { class: 'code' }, answer.code || ''), '. Conservalo: ti servirà per qualsiasi richiesta.'),
    ];
    if (waitlisted) {
      parts.push(el('p', {}, answer.position
        ? `I posti sono esauriti: sei la persona numero ${answer.position} in lista d'attesa. `
        : 'I posti sono esauriti: sei in lista d\'attesa. ',
      'Se qualcuno rinuncia, il posto passa alla prima persona in attesa e ti avvisiamo per e-mail.'));
    } else if (pending) {
      parts.push(el('p', {}, answer.message || 'Ti abbiamo inviato una e-mail: apri il link che contiene per confermare l\'iscrizione. Senza conferma il posto passa ad altri.'));
    } else {
      parts.push(el('p', {}, 'Riceverai una e-mail di conferma con i dettagli e il link personale per gestire l\'iscrizione.'));
    }
    if (answer.cancel_url) {
      parts.push(el('p', {}, 'Se non puoi più partecipare, ',
        el('a', { href: answer.cancel_url, rel: 'noreferrer' }, 'gestisci o annulla la tua iscrizione'),
        ': il posto andrà a chi è in attesa.'));
    }
    if (answer.ics_url) parts.push(el('p', {}, el('a', { href: answer.ics_url }, 'Aggiungi al calendario (.ics)')));
    // The same person to another activity (their details kept, the
    // activity to choose), or somebody else (an empty form).
    const more = el('button', { type: 'button', class: 'button' }, 'Iscriviti a un\'altra attività');
    more.addEventListener('click', () => {
      this.reopen();
      const select = this.form.querySelector('#edition');
      select.value = '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      select.focus();
    });
    const again = el('button', { type: 'button', class: 'button secondary' }, 'Iscrivi un\'altra persona');
    again.addEventListener('click', () => {
      this.form.reset();
      this.reopen();
      // The first field a person can use (a hidden input comes first).
      this.form.querySelector('input:not([type="hidden"]):not(:disabled), select:not(:disabled)')?.focus();
    });
    parts.push(el('p', { class: 'actions' }, more, ' ', again));
    this.confirmation.className = `confirmation notice ${waitlisted || pending ? 'warn' : 'ok'}`;
    this.confirmation.replaceChildren(...parts);
    this.form.hidden = true;
    if (this.requiredNote) this.requiredNote.hidden = true;
    this.confirmation.hidden = false;
    this.confirmation.focus();
    // A reload shows the confirmation again (the browser keeps a history
    // entry's state across reloads), while the address stays the public
    // page's: the personal link, which can cancel the registration, is
    // never in the address bar to be shared with the programme.
    // The person's details go with it (never the consents, given anew for
    // each registration), for «Iscriviti a un'altra attività» after a reload.
    const person = Object.fromEntries(Object.entries(this.fields()).filter(([name]) => PERSON_FIELDS.has(name)));
    try {
      history.replaceState({ ...(history.state || {}), registration: answer, person }, '');
    } catch {
      // A state the browser cannot keep: the confirmation stays as it is.
    }
  }

  // The form again after a confirmation, its fields as they are.
  reopen() {
    this.sync();
    this.confirmation.hidden = true;
    this.form.hidden = false;
    if (this.requiredNote) this.requiredNote.hidden = false;
  }

  // The confirmation of this page's last registration, after a reload.
  restore() {
    const answer = history.state && history.state.registration;
    if (!answer || typeof answer !== 'object' || !answer.code) return;
    for (const [name, value] of Object.entries(history.state.person || {})) {
      if (!PERSON_FIELDS.has(name) || typeof value !== 'string') continue;
      for (const node of this.form.querySelectorAll(`[name="${name}"]`)) {
        if (node.type === 'radio') node.checked = node.value === value;
        else if (node.type !== 'checkbox') node.value = value;
      }
    }
    this.showConfirmation(answer);
  }
}
