// Small helpers shared by the modules: DOM building (no innerHTML with
// data, so article text can never become markup), the PLOVER palette and
// formatting.

/** Creates an element: el('p', {class: 'x', onclick: f}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// PLOVER categories in legend order (conflict first), each with a colour
// readable on the pale basemap and distinct from its neighbours. OTHER is
// what the API calls events without a PLOVER category (CAMEO 01, 02).
export const CATEGORIES = [
  ['ASSAULT', '#d62728'],
  ['COERCE', '#ff7f0e'],
  ['THREATEN', '#e377c2'],
  ['MOBILIZE', '#8c564b'],
  ['PROTEST', '#9467bd'],
  ['ACCUSE', '#b8860b'],
  ['REJECT', '#5b5b5b'],
  ['SANCTION', '#a6a60e'],
  ['RETREAT', '#e6a157'],
  ['CONCEDE', '#c49c94'],
  ['REQUEST', '#b39ddb'],
  ['CONSULT', '#1f77b4'],
  ['AGREE', '#2ca02c'],
  ['COOPERATE', '#7fc97f'],
  ['SUPPORT', '#6baed6'],
  ['AID', '#17becf'],
  ['OTHER', '#9e9e9e'],
];
const COLOURS = new Map(CATEGORIES);
export const categoryColour = (c) => COLOURS.get(c) ?? COLOURS.get('OTHER');
export const categoryOrder = (c) => {
  const i = CATEGORIES.findIndex(([k]) => k === c);
  return i < 0 ? CATEGORIES.length : i;
};

// CAMEO labels from dist/cameo.json (written by the build from the engine's
// codebook); empty if it is missing, so a label is an extra, never a need.
let cameo = {};
export async function loadCameo() {
  try {
    const res = await fetch('cameo.json');
    if (res.ok) cameo = await res.json();
  } catch { /* labels are optional */ }
}
export const cameoLabel = (code) => (code && cameo[code] ? cameo[code][0] : '');

export const fmtInt = (n) => (n ?? 0).toLocaleString('en-GB');
export const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);

/** "RUSMIL (Russian forces)" for an actor object of the API. */
export function actorText(a) {
  if (!a) return '';
  const name = a.name ?? a.canonical ?? a.text ?? '';
  if (a.code && name && name !== a.code) return `${a.code} (${name})`;
  return a.code || name || '';
}

/** A small "machine-coded" badge: no event is ever shown as verified. */
export function machineBadge() {
  return el('span', {
    class: 'badge machine',
    title: 'Extracted automatically from news text by sitrep; not a verified incident',
  }, 'machine-coded');
}

export function categoryDot(category) {
  const dot = el('span', { class: 'dot', 'aria-hidden': 'true' });
  dot.style.backgroundColor = categoryColour(category);
  return dot;
}

// Requests in flight, as body[data-busy]: lets a test (or a user's eye on
// the status line) know when the page has settled.
let inFlight = 0;
export async function track(promise) {
  inFlight += 1;
  document.body.dataset.busy = String(inFlight);
  try {
    return await promise;
  } finally {
    inFlight -= 1;
    if (inFlight) document.body.dataset.busy = String(inFlight);
    else delete document.body.dataset.busy;
  }
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
