// Events per day as SVG stacked bars, one colour per PLOVER category, with
// a brush: drag (or click a day) to choose a date range, which becomes the
// from/to filters. The timeline is fetched without from/to so the chosen
// range stays visible inside its context. Keyboard: arrow keys move a day
// cursor, Shift+arrows widen it, Enter applies, Delete clears.

import { categoryColour, categoryOrder, fmtInt } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86400000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const M = { left: 44, right: 12, top: 8, bottom: 22 };

const toIndex = (day) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / DAY;
const toDay = (i) => new Date(i * DAY).toISOString().slice(0, 10);

function svg(tag, attrs = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

export class Timeline {
  /** @param {SVGSVGElement} svgEl @param {HTMLElement} summary @param {(from: string, to: string) => void} onBrush */
  constructor(svgEl, summary, onBrush) {
    this.svg = svgEl;
    this.summary = summary;
    this.onBrush = onBrush;
    this.days = new Map(); // day index -> {total, cats: [[cat, n]]}
    this.range = { from: '', to: '' };
    this.cursor = null; // [a, b] day indexes while the keyboard chooses
    new ResizeObserver(() => this.draw()).observe(svgEl);
    this.bindPointer();
    this.bindKeys();
  }

  /** @param {{day: string, category: string, count: number}[]} rows */
  setData(rows, range) {
    this.days = new Map();
    for (const r of rows) {
      if (!r.day || r.day.length !== 10) continue; // month- or year-precision dates have no day
      const i = toIndex(r.day);
      const d = this.days.get(i) ?? { total: 0, cats: [] };
      d.total += r.count;
      d.cats.push([r.category, r.count]);
      this.days.set(i, d);
    }
    for (const d of this.days.values()) d.cats.sort((a, b) => categoryOrder(a[0]) - categoryOrder(b[0]));
    this.setRange(range);
  }

  setRange(range) {
    this.range = { from: range.from || '', to: range.to || '' };
    this.draw();
  }

  /** The first and last day shown: the data's, widened to the chosen range. */
  domain() {
    const idx = [...this.days.keys()];
    if (this.range.from) idx.push(toIndex(this.range.from));
    if (this.range.to) idx.push(toIndex(this.range.to));
    if (!idx.length) return null;
    return [Math.min(...idx), Math.max(...idx)];
  }

  geometry() {
    const width = this.svg.clientWidth || 600;
    const height = this.svg.clientHeight || 120;
    const dom = this.domain();
    if (!dom) return { width, height, dom: null };
    const n = dom[1] - dom[0] + 1;
    const bw = (width - M.left - M.right) / n;
    return { width, height, dom, n, bw, x: (i) => M.left + (i - dom[0]) * bw };
  }

  draw() {
    const g = this.geometry();
    const s = this.svg;
    s.replaceChildren();
    s.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
    let total = 0;
    for (const d of this.days.values()) total += d.total;
    s.dataset.total = String(total);
    if (!g.dom) {
      s.append(svg('text', { x: g.width / 2, y: g.height / 2, class: 'empty', 'text-anchor': 'middle' }, 'No dated events for these filters'));
      this.summary.textContent = 'No dated events';
      return;
    }
    const plotH = g.height - M.top - M.bottom;
    const max = Math.max(1, ...[...this.days.values()].map((d) => d.total));
    const y = (v) => (v / max) * plotH;
    const [rf, rt] = [this.range.from && toIndex(this.range.from), this.range.to && toIndex(this.range.to)];
    const inRange = (i) => (!rf || i >= rf) && (!rt || i <= rt);

    // Axis: a baseline, the busiest day's count, and month starts.
    const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
    axis.append(svg('line', { x1: M.left, x2: g.width - M.right, y1: M.top + plotH + 0.5, y2: M.top + plotH + 0.5 }));
    axis.append(svg('text', { x: M.left - 6, y: M.top + 9, 'text-anchor': 'end' }, fmtInt(max)));
    axis.append(svg('text', { x: M.left - 6, y: M.top + plotH, 'text-anchor': 'end' }, '0'));
    const months = [];
    const first = new Date(g.dom[0] * DAY);
    let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
    while (m.getTime() / DAY <= g.dom[1]) {
      const i = m.getTime() / DAY;
      if (i >= g.dom[0]) months.push(i);
      m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    }
    // Thin the labels to one per ~60 px.
    const step = Math.max(1, Math.ceil(months.length / Math.max(1, (g.width - M.left) / 60)));
    months.forEach((i, k) => {
      const x = g.x(i);
      axis.append(svg('line', { x1: x, x2: x, y1: M.top + plotH, y2: M.top + plotH + 4 }));
      if (k % step === 0 && x < g.width - M.right - 30) {
        const d = new Date(i * DAY);
        const label = d.getUTCMonth() === 0 || k === 0 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` : MONTHS[d.getUTCMonth()];
        axis.append(svg('text', { x: x + 2, y: g.height - 6 }, label));
      }
    });
    s.append(axis);

    // Bars: one group per day, with a native tooltip.
    const bars = svg('g', { class: 'bars' });
    const w = Math.max(1, g.bw - (g.bw > 4 ? 1 : 0));
    for (const [i, d] of this.days) {
      const day = svg('g', { class: inRange(i) ? 'day' : 'day out' });
      let base = M.top + plotH;
      for (const [cat, n] of d.cats) {
        const h = y(n);
        base -= h;
        const r = svg('rect', { class: 'bar', x: g.x(i), y: base, width: w, height: Math.max(h, 0.5) });
        r.style.fill = categoryColour(cat);
        day.append(r);
      }
      const lines = d.cats.map(([c, n]) => `${c} ${fmtInt(n)}`).join(', ');
      day.append(svg('title', {}, `${toDay(i)}: ${fmtInt(d.total)} events (${lines})`));
      bars.append(day);
    }
    s.append(bars);

    // The chosen range, and the keyboard cursor.
    if (rf || rt) {
      const a = rf || g.dom[0];
      const b = rt || g.dom[1];
      s.append(svg('rect', { class: 'selection', x: g.x(a), y: M.top, width: Math.max(2, g.x(b + 1) - g.x(a)), height: plotH }));
    }
    if (this.cursor) {
      const [a, b] = [Math.min(...this.cursor), Math.max(...this.cursor)];
      s.append(svg('rect', { class: 'cursor', x: g.x(a), y: M.top, width: Math.max(2, g.x(b + 1) - g.x(a)), height: plotH }));
    }
    this.brushRect = svg('rect', { class: 'brush', x: 0, y: M.top, width: 0, height: plotH });
    s.append(this.brushRect);

    const rangeText = rf || rt ? `; chosen ${this.range.from || 'start'} – ${this.range.to || 'end'}` : '';
    this.summary.textContent = `${fmtInt(total)} dated event mentions, ${toDay(g.dom[0])} – ${toDay(g.dom[1])}${rangeText}`;
    s.setAttribute('aria-label', `Events per day, ${toDay(g.dom[0])} to ${toDay(g.dom[1])}, busiest day ${fmtInt(max)}. Drag, or use arrow keys with Shift and Enter, to choose dates.`);
  }

  dayAt(clientX) {
    const g = this.geometry();
    if (!g.dom) return null;
    const box = this.svg.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * g.width;
    const i = g.dom[0] + Math.floor((x - M.left) / g.bw);
    return Math.max(g.dom[0], Math.min(g.dom[1], i));
  }

  bindPointer() {
    let start = null;
    let startX = 0;
    this.svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      start = this.dayAt(e.clientX);
      startX = e.clientX;
      if (start === null) return;
      this.svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (start === null || !this.brushRect) return;
      const g = this.geometry();
      const cur = this.dayAt(e.clientX);
      const [a, b] = [Math.min(start, cur), Math.max(start, cur)];
      this.brushRect.setAttribute('x', g.x(a));
      this.brushRect.setAttribute('width', Math.max(2, g.x(b + 1) - g.x(a)));
    });
    const end = (e) => {
      if (start === null) return;
      const cur = this.dayAt(e.clientX);
      const s0 = start;
      start = null;
      if (cur === null) return;
      // A click (no drag) chooses its one day.
      const [a, b] = Math.abs(e.clientX - startX) < 3 ? [s0, s0] : [Math.min(s0, cur), Math.max(s0, cur)];
      this.onBrush(toDay(a), toDay(b));
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', () => { start = null; this.draw(); });
  }

  bindKeys() {
    this.svg.addEventListener('keydown', (e) => {
      const g = this.geometry();
      if (!g.dom) return;
      const clamp = (i) => Math.max(g.dom[0], Math.min(g.dom[1], i));
      const step = e.ctrlKey || e.metaKey ? 7 : 1;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        const d = e.key === 'ArrowLeft' ? -step : step;
        if (!this.cursor) {
          const at = this.range.from ? toIndex(this.range.from) : g.dom[0];
          this.cursor = [at, at];
        } else if (e.shiftKey) {
          this.cursor = [this.cursor[0], clamp(this.cursor[1] + d)];
        } else {
          const at = clamp(this.cursor[1] + d);
          this.cursor = [at, at];
        }
      } else if (e.key === 'Enter' && this.cursor) {
        const [a, b] = [Math.min(...this.cursor), Math.max(...this.cursor)];
        this.cursor = null;
        this.onBrush(toDay(a), toDay(b));
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        this.cursor = null;
        this.onBrush('', '');
      } else {
        return;
      }
      e.preventDefault();
      this.draw();
      if (this.cursor) {
        const [a, b] = [Math.min(...this.cursor), Math.max(...this.cursor)];
        let n = 0;
        for (let i = a; i <= b; i++) n += this.days.get(i)?.total ?? 0;
        this.summary.textContent = `${toDay(a)}${b > a ? ` – ${toDay(b)}` : ''}: ${fmtInt(n)} events; Enter to choose`;
      }
    });
    this.svg.addEventListener('blur', () => {
      if (this.cursor) { this.cursor = null; this.draw(); }
    });
  }
}
