// Italian formatting helpers: dates as "12 maggio 2027", counts with the
// right singular or plural.

const dateFormat = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Rome' });
const timeFormat = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' });
const weekdayFormat = new Intl.DateTimeFormat('it-IT', { weekday: 'long', timeZone: 'Europe/Rome' });
const numberFormat = new Intl.NumberFormat('it-IT');

// Accepts "2027-05-12", "2027-05-12T09:30:00+02:00" or a Date.
export function parseDate(value) {
  if (!value) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // A bare date is a calendar day: read it at noon UTC so no time zone moves it.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T12:00:00Z`) : new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(value) {
  const date = parseDate(value);
  return date ? dateFormat.format(date) : '';
}

export function formatTime(value) {
  const date = parseDate(value);
  return date && /T\d/.test(String(value)) ? timeFormat.format(date) : '';
}

export function formatWeekday(value) {
  const date = parseDate(value);
  return date ? weekdayFormat.format(date) : '';
}

export function formatNumber(n) {
  return numberFormat.format(n);
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
