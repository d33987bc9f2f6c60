// Italian formatting helpers: dates as "12 maggio 2027", numbers as "1.200"
// and "6,0", counts with the right singular or plural.

const dateFormat = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Rome' });
const timeFormat = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' });
const weekdayFormat = new Intl.DateTimeFormat('it-IT', { weekday: 'long', timeZone: 'Europe/Rome' });
// "1.200", as the server writes it (core/include/bp/italian_number.h): the
// Italian locale data leave four-digit numbers ungrouped unless asked.
const numberFormat = new Intl.NumberFormat('it-IT', { useGrouping: 'always' });

// A date-time without offset ("2027-05-12T09:30") is a wall-clock time in
// Europe/Rome, as the programme's catalogue writes it: it is shown as it is,
// whatever the browser's time zone. One with an offset or "Z" is converted
// to Europe/Rome. A bare date ("2027-05-12") is a calendar day.
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?$/;
const utcDateFormat = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const utcWeekdayFormat = new Intl.DateTimeFormat('it-IT', { weekday: 'long', timeZone: 'UTC' });

function wallClock(value) {
  const m = LOCAL.exec(String(value || ''));
  if (!m) return null;
  return { day: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)), time: m[4] ? `${m[4]}:${m[5]}` : '' };
}

export function parseDate(value) {
  if (!value) return null;
  if (value instanceof Date) return value;
  const local = wallClock(value);
  if (local) return local.day;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

// "12 maggio 2027"; the first of the month is "1° luglio 2027".
export function formatDate(value) {
  const local = wallClock(value);
  const date = local ? null : parseDate(value);
  const text = local ? utcDateFormat.format(local.day) : (date ? dateFormat.format(date) : '');
  return text.replace(/^1 /, '1° ');
}

// A date text after an articulated preposition, elided before "otto" and
// "undici" as core/include/bp/italian_date.h does: ('dal', '8 giugno 2027')
// -> "dall'8 giugno 2027", ('al', '1° luglio 2027') -> "al 1° luglio 2027".
export function afterPreposition(preposition, text) {
  const elided = { il: "l'", dal: "dall'", al: "all'", del: "dell'", nel: "nell'", sul: "sull'" };
  return /^(8|11) /.test(text) && elided[preposition] ? `${elided[preposition]}${text}` : `${preposition} ${text}`;
}

// "09:30", or '' for a bare date.
export function formatTime(value) {
  const local = wallClock(value);
  if (local) return local.time;
  const date = parseDate(value);
  return date ? timeFormat.format(date) : '';
}

export function formatWeekday(value) {
  const local = wallClock(value);
  if (local) return utcWeekdayFormat.format(local.day);
  const date = parseDate(value);
  return date ? weekdayFormat.format(date) : '';
}

// formatNumber(1200) -> "1.200"; formatNumber(6, 1) -> "6,0" (with exactly
// `fractionDigits` decimals).
export function formatNumber(n, fractionDigits) {
  if (fractionDigits === undefined) return numberFormat.format(n);
  return new Intl.NumberFormat('it-IT', {
    useGrouping: 'always', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits,
  }).format(n);
}

// plural(1, 'pratica', 'pratiche') -> "1 pratica"
export function plural(n, one, many) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

// Creates an element with attributes and children (strings become text).
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}
