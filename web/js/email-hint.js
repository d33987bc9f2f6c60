// A likely slip in the domain of an e-mail address ("mario@gmial.com",
// "anna@libero.ti"), said under the field while the person types, with a
// button that writes the address it probably is. A hint, never a refusal:
// the server accepts any valid address, and an uncommon domain may be
// right. Without JavaScript nothing is said (the confirmation that never
// arrives is then the only sign, as before). Hand-written rather than a
// library: Mailcheck does this, but nothing is downloaded at build time.
import { el } from './format.js';

// The providers most Italian addresses use, and their usual slips' targets.
const DOMAINS = [
  'gmail.com', 'libero.it', 'hotmail.it', 'hotmail.com', 'yahoo.it', 'yahoo.com', 'outlook.it', 'outlook.com',
  'live.it', 'live.com', 'icloud.com', 'me.com', 'virgilio.it', 'alice.it', 'tiscali.it', 'tin.it', 'tim.it',
  'fastwebnet.it', 'email.it', 'inwind.it', 'msn.com', 'aruba.it', 'pec.it', 'legalmail.it', 'gmx.com', 'gmx.it',
  'protonmail.com', 'proton.me',
];

// Edits between two strings, a swap of two neighbouring letters counting
// one (as the search's typo tolerance counts them).
function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// The address `typed` probably is, or '' when its domain is a known one or
// close to none: one slip in a short domain, two from 8 characters.
export function likelyAddress(typed) {
  const address = typed.trim();
  const at = address.lastIndexOf('@');
  if (at < 1) return '';
  const domain = address.slice(at + 1).toLowerCase();
  if (!domain.includes('.') || DOMAINS.includes(domain)) return '';
  let best = '';
  let bestDistance = Infinity;
  for (const known of DOMAINS) {
    const k = distance(domain, known);
    if (k < bestDistance) { best = known; bestDistance = k; }
  }
  return bestDistance <= (domain.length >= 8 ? 2 : 1) ? `${address.slice(0, at + 1)}${best}` : '';
}

// Watches `input`: the hint appears a moment after typing stops (never as
// the field is left, which would move what is below under a finger).
export function attachEmailHint(input) {
  const hint = el('p', { class: 'email-hint', id: `${input.id}-suggestion`, 'aria-live': 'polite' });
  input.insertAdjacentElement('afterend', hint);
  let timer = 0;
  const update = () => {
    const likely = likelyAddress(input.value);
    if (!likely) { hint.replaceChildren(); return; }
    const use = el('button', { type: 'button', class: 'link-button' }, likely);
    use.addEventListener('click', () => {
      input.value = likely;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      hint.replaceChildren();
      input.focus();
    });
    hint.replaceChildren('Forse intendevi ', use, '?');
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  if (input.value) update();
}
