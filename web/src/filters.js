// The filter form and the URL hash. The hash holds the whole view (filters,
// map position, open article or cluster) so a link can be shared and a
// reload lands on the same page: #plover=ASSAULT&from=2025-03-01&map=5/48.5/35.0

import { FILTER_KEYS } from './api.js';
import { CATEGORIES, debounce, el } from './common.js';

export const emptyFilters = () => Object.fromEntries(FILTER_KEYS.map((k) => [k, k === 'originals' ? false : '']));

/** {filters, view, map} from location.hash. */
export function readHash() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const filters = emptyFilters();
  for (const k of FILTER_KEYS) {
    const v = p.get(k);
    if (v === null) continue;
    filters[k] = k === 'originals' ? v === '1' || v === 'true' : v;
  }
  return { filters, view: p.get('view') || null, map: p.get('map') || null };
}

/** Writes the hash without a history entry per keystroke or map move. */
export function writeHash({ filters, view, map }) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v === '' || v === false || v === null || v === undefined) continue;
    p.set(k, v === true ? '1' : v);
  }
  if (view) p.set('view', view);
  if (map) p.set('map', map);
  const hash = p.toString();
  if (hash !== location.hash.replace(/^#/, '')) {
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }
}

/**
 * Binds the form: text fields apply after a pause in typing, the others on
 * change, Enter at once. `onChange(filters)` gets the whole new state.
 */
export function initFilterForm(form, onChange) {
  const select = form.elements.plover;
  // OTHER: events without a PLOVER category (plover=OTHER).
  for (const [cat] of CATEGORIES) {
    select.append(el('option', { value: cat }, cat[0] + cat.slice(1).toLowerCase()));
  }
  const read = () => {
    const f = emptyFilters();
    for (const k of FILTER_KEYS) {
      const input = form.elements[k];
      f[k] = k === 'originals' ? input.checked : input.value.trim();
    }
    if (f.country) f.country = f.country.toUpperCase();
    return f;
  };
  const fire = () => onChange(read());
  const later = debounce(fire, 450);
  form.addEventListener('input', (e) => {
    if (e.target.matches('input[type=text], input[type=search]')) later();
  });
  form.addEventListener('change', (e) => {
    if (!e.target.matches('input[type=text], input[type=search]')) fire();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    fire();
  });
  form.addEventListener('reset', () => {
    // After the browser has cleared the fields.
    setTimeout(fire, 0);
  });
}

/** Puts a filter state into the form (on load and on a hash change). */
export function setFormValues(form, filters) {
  for (const k of FILTER_KEYS) {
    const input = form.elements[k];
    if (k === 'originals') input.checked = !!filters[k];
    else if (input.value !== filters[k]) input.value = filters[k] ?? '';
  }
}

/** Shows an API error next to the field it names, or clears all errors. */
export function showFilterError(form, err) {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const box = form.querySelector('#filter-error');
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const input = err.parameter && form.elements[err.parameter];
  if (input) input.setAttribute('aria-invalid', 'true');
  box.hidden = false;
  box.textContent = err.message;
}

/** Fills the country list from the basemap's names and ISO alpha-3 codes. */
export function fillCountryList(list, features) {
  const seen = new Set();
  const opts = [];
  for (const f of features) {
    const { a3, name } = f.properties;
    if (!a3 || seen.has(a3) || a3.startsWith('-')) continue;
    seen.add(a3);
    opts.push(el('option', { value: a3 }, name));
  }
  opts.sort((a, b) => a.textContent.localeCompare(b.textContent));
  list.replaceChildren(...opts);
}
