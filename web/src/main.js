// Wires the page together: one filter state (mirrored in the URL hash)
// drives the map, the timeline and the match count; the panel and the
// article view open on top and close with Escape.

import { ApiError, filterParams, get, latest } from './api.js';
import { ArticleView } from './article.js';
import { fmtInt, loadCameo, track } from './common.js';
import {
  fillCountryList, initFilterForm, readHash, setFormValues, showFilterError, writeHash,
} from './filters.js';
import { EventMap } from './map.js';
import { cellParams, EventPanel } from './panel.js';
import { Search } from './search.js';
import { Timeline } from './timeline.js';

const $ = (id) => document.getElementById(id);
const state = readHash();
const form = $('filter-form');
const status = $('status');
const freshTimeline = latest();
const freshCount = latest();

const setView = (view) => {
  state.view = view;
  writeHash(state);
};

const article = new ArticleView($('article-view'), {
  // Closing the article goes back to the cluster the panel shows, if any.
  onView: (v) => setView(v ?? (panel.isOpen && panel.cluster ? `cluster:${panel.cluster}` : null)),
  openCluster: (id, opener) => {
    article.close();
    panel.showCluster(id, opener);
  },
});

const panel = new EventPanel($('panel'), {
  openArticle: (id, opener) => article.open(id, opener),
  onView: (v) => setView(v),
});

const map = new EventMap($('map'), {
  legend: $('legend'),
  onCell: (cell, opener) => {
    const name = cell.place ?? 'this area';
    panel.showEvents(`Events near ${name}`, cellParams(state.filters, cell), opener);
  },
  onMove: (view) => {
    state.map = view;
    writeHash(state);
  },
  onError: (e) => {
    status.textContent = `Error: ${e.message}`;
  },
  onLegend: (cat) => {
    state.filters = { ...state.filters, plover: cat };
    setFormValues(form, state.filters);
    apply();
  },
});

const timeline = new Timeline($('timeline-svg'), $('timeline-summary'), (from, to) => {
  state.filters = { ...state.filters, from, to };
  setFormValues(form, state.filters);
  apply();
});

new Search($('search-form'), $('search-results'), (id, opener) => article.open(id, opener));

$('list-view').addEventListener('click', (e) => {
  panel.showEvents('Events in the map view', { ...filterParams(state.filters), bbox: map.bbox(0) }, e.currentTarget);
});
$('clear-dates').addEventListener('click', () => {
  state.filters = { ...state.filters, from: '', to: '' };
  setFormValues(form, state.filters);
  apply();
  $('timeline-svg').focus();
});

initFilterForm(form, (filters) => {
  state.filters = filters;
  apply();
});

/** Refetches everything the filters drive. */
function apply() {
  return track(refresh());
}

async function refresh() {
  writeHash(state);
  showFilterError(form, null);
  $('clear-dates').hidden = !(state.filters.from || state.filters.to);
  status.textContent = 'Loading…';
  const params = filterParams(state.filters);
  try {
    const [, tl, count] = await Promise.all([
      map.setFilters(state.filters),
      freshTimeline(get('/api/events/timeline', filterParams(state.filters, ['from', 'to']))),
      freshCount(get('/api/events', { ...params, limit: 1 })),
    ]);
    if (tl.current) timeline.setData(tl.value.days, state.filters);
    if (count.current) {
      const placed = map.cells.reduce((n, c) => n + c.count, 0);
      const text = `${fmtInt(count.value.total)} event mentions match; ${fmtInt(placed)} placed on the map in view`;
      $('match-count').textContent = text;
      status.textContent = '';
    }
  } catch (e) {
    if (e instanceof ApiError && e.parameter) showFilterError(form, e);
    status.textContent = `Error: ${e.message}`;
  }
}

/** Opens the article or cluster named in the hash. */
function openView(view) {
  const m = /^(article|cluster):(\d+)$/.exec(view ?? '');
  if (!m) return;
  if (m[1] === 'article') article.open(Number(m[2]));
  else panel.showCluster(Number(m[2]));
}

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  const search = $('search-results');
  if (!search.hidden) {
    search.hidden = true;
    $('search-q').focus();
  } else if (article.isOpen) {
    article.close();
  } else if (panel.isOpen) {
    panel.close();
  } else {
    return;
  }
  e.preventDefault();
});

// A hash edited by hand, or a shared link pasted into this tab.
window.addEventListener('hashchange', () => {
  const next = readHash();
  state.filters = next.filters;
  setFormValues(form, state.filters);
  if (next.map && next.map !== state.map) map.setViewString(next.map);
  if (next.view !== state.view) {
    if (next.view) openView(next.view);
    else {
      article.close();
      panel.close();
    }
  }
  apply();
});

async function start() {
  setFormValues(form, state.filters);
  const hadView = map.setViewString(state.map);
  if (!hadView) map.map.setView([30, 30], 3, { animate: false });
  await loadCameo();
  try {
    const geo = await map.loadBasemap();
    fillCountryList($('country-list'), geo.features);
  } catch (e) {
    status.textContent = `The basemap did not load (${e.message}); markers still show.`;
  }
  await apply();
  if (!hadView) {
    await map.fitToData();
    state.map = map.viewString();
    writeHash(state);
  }
  openView(state.view);
  document.body.dataset.ready = 'true';
}

start();
