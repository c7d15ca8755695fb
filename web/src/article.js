// The article view: the document's text with every annotation layer
// highlighted, as displaCy does. Offsets in the API are Unicode code
// points, so the text is split with Array.from (a JS string index counts
// UTF-16 units and would drift after any emoji or other non-BMP character).
// Spans overlap (a quote holds entities and events; a claim and an event can
// cross), so the text is cut at every span boundary and the marks nest;
// a span that crosses its parent's end continues in a second piece.

import { get } from './api.js';
import { actorText, cameoLabel, el, fill, fmtInt, machineBadge, pct, track } from './common.js';

// Layer order is also the nesting priority when two spans are equal.
export const LAYERS = [
  { key: 'quotes', name: 'Quotes' },
  { key: 'claims', name: 'Claims' },
  { key: 'events', name: 'Events' },
  { key: 'entities', name: 'Entities' },
  { key: 'places', name: 'Places' },
  { key: 'times', name: 'Times' },
];
const PRIORITY = Object.fromEntries(LAYERS.map((l, i) => [l.key, i]));

/** The short label shown after a span (displaCy's entity label). */
function label(layer, a) {
  switch (layer) {
    case 'entities': return a.type ?? 'ENT';
    case 'places': return a.kind ? `place:${a.kind}` : 'place';
    case 'times': return a.type ?? 'TIME';
    case 'quotes': {
      const who = a.speaker?.canonical || a.speaker?.text;
      return who ? `quote: ${who.length > 24 ? `${who.slice(0, 22)}…` : who}` : 'quote';
    }
    case 'claims': return a.kind ? `claim:${a.kind}` : 'claim';
    case 'events': return a.plover?.category ?? `CAMEO ${a.cameo}`;
    default: return layer;
  }
}

const span = (s) => (s && s.text ? s.text : null);
const coords = (a) => (a.lat !== null && a.lat !== undefined ? `${a.lat.toFixed(4)}, ${a.lon.toFixed(4)}` : null);

/** [term, value] rows describing an annotation; empty values are left out. */
function details(layer, a, extra) {
  switch (layer) {
    case 'entities': return [
      ['Type', a.type], ['Canonical name', a.canonical], ['Role', a.role], ['Affiliation', a.affiliation]];
    case 'places': return [
      ['Resolved to', a.name], ['Kind', [a.kind, a.feature].filter(Boolean).join(' / ')], ['Country', a.country],
      ['Region', [a.admin1, a.admin2].filter(Boolean).join(', ')], ['Coordinates', coords(a)],
      ['Gazetteer id', a.gazetteer_id], ['Confidence', a.confidence !== undefined ? pct(a.confidence) : null],
      ['Metonymy', a.metonymy ? 'yes (the place stands for its government or people)' : null]];
    case 'times': return [['TIMEX value', a.value], ['Type', a.type], ['Modifier', a.mod]];
    case 'quotes': return [
      ['Speaker', a.speaker ? `${a.speaker.canonical ?? ''}${a.speaker.text && a.speaker.text !== a.speaker.canonical ? ` (“${a.speaker.text}”)` : ''}` : 'unknown'],
      ['Cue', span(a.cue)], ['Channel', a.channel], ['Direct', a.direct ? 'direct quote' : 'indirect / reported speech'],
      ['Via', span(a.via)]];
    case 'claims': return [
      ['Value', a.value_max !== null && a.value_max !== undefined ? `${a.value}–${a.value_max}` : a.value],
      ['Qualifier', a.qualifier], ['Unit', a.unit], ['Kind', a.kind],
      ['Claimant', a.attributed_to ? (a.attributed_to.canonical || a.attributed_to.text) : 'not attributed'],
      ['Time', a.time ? `${a.time.text} (${a.time.value ?? '?'})` : null]];
    case 'events': {
      const p = a.place;
      const row = extra?.get(`${a.start}:${a.end}`);
      return [
        ['CAMEO', `${a.cameo}${cameoLabel(a.cameo) ? ` ${cameoLabel(a.cameo)}` : ''}`],
        ['PLOVER', a.plover ? `${a.plover.category}${a.plover.mode ? ` / ${a.plover.mode}` : ''}` : 'none'],
        ['ACLED', a.acled ? `${a.acled.event_type}${a.acled.sub_event_type ? ` / ${a.acled.sub_event_type}` : ''}` : null],
        ['Source actor', actorText(a.source) || null], ['Target actor', actorText(a.target) || null],
        ['Place', p ? `${p.name ?? p.text}${p.country ? `, ${p.country}` : ''}${coords(p) ? ` (${coords(p)})` : ''}` : null],
        ['Date', a.date ? `${a.date.value} (${a.date.precision})` : null],
        ['Attributed to', span(a.attribution)], ['Modality', a.modality],
        ['Confidence', pct(a.confidence)],
        ['Goldstein', a.goldstein], ['Independent sources', row ? fmtInt(row.num_sources) : null]];
    }
    default: return [];
  }
}

export class ArticleView {
  /**
   * @param {HTMLElement} root section#article-view
   * @param {{onView: Function, openCluster: Function}} opts
   */
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.title = root.querySelector('#article-title');
    this.meta = root.querySelector('#article-meta');
    this.text = root.querySelector('#article-text');
    this.detail = root.querySelector('#hl-detail');
    this.toggles = root.querySelector('#layer-toggles');
    this.foot = root.querySelector('#article-foot');
    this.enabled = new Set(LAYERS.map((l) => l.key));
    this.pinned = null;
    this.opener = null;
    this.doc = null;
    root.querySelector('#article-close').addEventListener('click', () => this.close());
    this.bindHighlights();
  }

  get isOpen() {
    return !this.root.hidden;
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    document.body.classList.remove('article-open');
    this.opts.onView?.(null);
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  }

  async open(id, opener) {
    if (opener) this.opener = opener;
    this.root.hidden = false;
    document.body.classList.add('article-open');
    this.opts.onView?.(`article:${id}`);
    this.title.textContent = 'Loading article…';
    fill(this.meta);
    fill(this.text);
    fill(this.foot);
    this.title.focus();
    let data;
    let events;
    try {
      [data, events] = await track(Promise.all([
        get(`/api/articles/${encodeURIComponent(id)}`),
        // The document's events carry no store id or cluster: take them
        // from /api/events and match on the span.
        get('/api/events', { article: id, limit: 1000 }),
      ]));
    } catch (e) {
      this.title.textContent = `Article ${id}`;
      fill(this.text, el('p', { class: 'error', role: 'alert' }, `Could not load the article: ${e.message}`));
      return;
    }
    this.data = data;
    this.doc = data.document;
    this.cps = Array.from(this.doc.text ?? '');
    this.eventRows = new Map(events.rows.map((r) => [`${r.start}:${r.end}`, r]));
    this.pinned = null;
    this.renderHeader();
    this.renderToggles();
    this.render();
    this.showDetail(null);
  }

  renderHeader() {
    const a = this.data.article;
    this.title.textContent = a.title || this.doc.title || a.doc_id;
    const kind = a.dup_kind && a.dup_kind !== 'original' ? `${a.dup_kind} copy` : 'original';
    fill(this.meta,
      el('span', {}, a.publisher), el('span', {}, a.published ?? 'undated'), el('span', {}, kind),
      a.wire && el('span', {}, `wire: ${a.wire}`),
      el('span', {}, `${fmtInt(this.cps.length)} characters`),
      a.url && el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, 'original ↗'));

    const ec = this.data.event_clusters ?? [];
    const clusters = [...new Map(ec.map((c) => [c.cluster, c])).values()];
    fill(this.foot,
      el('h3', {}, `Event clusters in this article (${clusters.length})`),
      clusters.length
        ? el('ul', { class: 'inline-list' }, clusters.map((c) => el('li', {}, el('button', {
          type: 'button',
          class: 'link',
          onclick: (e) => this.opts.openCluster(c.cluster, e.currentTarget),
        }, `Cluster ${c.cluster} (${fmtInt(c.sources)} source${c.sources === 1 ? '' : 's'})`))))
        : el('p', { class: 'muted' }, 'No events were coded in this article.'),
      el('h3', {}, `Copies of this article (${(this.data.duplicates ?? []).length})`),
      (this.data.duplicates ?? []).length
        ? el('ul', { class: 'dups' }, this.data.duplicates.map((d) => el('li', {}, el('button', {
          type: 'button',
          class: 'link',
          onclick: () => this.open(d.id),
        }, d.title ?? d.doc_id), ` — ${d.publisher}, ${d.published ?? ''}, ${d.dup_kind}`)))
        : el('p', { class: 'muted' }, 'None found.'));
  }

  renderToggles() {
    const boxes = LAYERS.map(({ key, name }) => {
      const n = (this.doc[key] ?? []).length;
      const input = el('input', { type: 'checkbox', name: key, checked: this.enabled.has(key) });
      input.addEventListener('change', () => {
        if (input.checked) this.enabled.add(key); else this.enabled.delete(key);
        this.render();
      });
      return el('label', { class: `toggle toggle-${key}` }, input, el('span', { class: 'swatch', 'aria-hidden': 'true' }), `${name} (${n})`);
    });
    const labels = el('input', { type: 'checkbox', name: 'labels', checked: !this.text.classList.contains('no-labels') });
    labels.addEventListener('change', () => this.text.classList.toggle('no-labels', !labels.checked));
    fill(this.toggles, el('legend', {}, 'Layers'), boxes, el('label', { class: 'toggle' }, labels, 'Labels'));
  }

  /** Annotations of the enabled layers, clamped to the text. */
  annotations() {
    const n = this.cps.length;
    const out = [];
    for (const { key } of LAYERS) {
      if (!this.enabled.has(key)) continue;
      (this.doc[key] ?? []).forEach((a, i) => {
        const start = Math.max(0, Math.min(n, a.start));
        const end = Math.max(0, Math.min(n, a.end));
        if (end > start) out.push({ layer: key, i, a, start, end });
      });
    }
    return out;
  }

  render() {
    const { fragment, count } = renderSpans(this.cps, this.annotations(), (ann) => label(ann.layer, ann.a));
    fill(this.text, fragment);
    this.text.dataset.spans = String(count);
  }

  bindHighlights() {
    const markOf = (t) => (t instanceof Element ? t.closest('mark.hl') : null);
    this.text.addEventListener('mouseover', (e) => {
      const m = markOf(e.target);
      if (m) this.showDetail(m);
    });
    this.text.addEventListener('mouseleave', () => this.showDetail(this.pinned));
    this.text.addEventListener('focusin', (e) => {
      const m = markOf(e.target);
      if (m) { this.pinned = m; this.showDetail(m); }
    });
    this.text.addEventListener('click', (e) => {
      const m = markOf(e.target);
      if (m) { this.pinned = m; this.showDetail(m); }
    });
  }

  /** Describes a mark and every mark around it, innermost first. */
  showDetail(mark) {
    for (const a of this.text.querySelectorAll('mark.active, mark.active-outer')) a.classList.remove('active', 'active-outer');
    if (!mark) {
      fill(this.detail, el('p', { class: 'muted' },
        'Hover over or Tab to a highlight to see what it is and which rule produced it.'));
      return;
    }
    const chain = [];
    for (let m = mark; m && m !== this.text; m = m.parentElement) {
      if (m.matches('mark.hl')) chain.push(m);
    }
    const items = chain.map((m, depth) => {
      const layer = m.dataset.layer;
      const i = Number(m.dataset.i);
      const a = this.doc[layer][i];
      // Light up every piece of the span, not just the one under the pointer.
      // (the span itself outlined, the spans around it dashed).
      for (const p of this.text.querySelectorAll(`mark[data-layer="${layer}"][data-i="${i}"]`)) p.classList.add(depth ? 'active-outer' : 'active');
      const rows = details(layer, a, this.eventRows).filter(([, v]) => v !== null && v !== undefined && v !== '');
      const name = LAYERS.find((l) => l.key === layer).name.replace(/s$/, '');
      const what = label(layer, a).replace(/^(quote|place|claim):\s*/, '');
      const row = layer === 'events' ? this.eventRows.get(`${a.start}:${a.end}`) : null;
      return el('section', { class: `detail-item detail-${layer}`, dataset: { layer, i } },
        el('h3', {}, el('span', { class: 'swatch', 'aria-hidden': 'true' }), what === name.toLowerCase() ? name : `${name}: ${what}`,
          layer === 'events' ? [' ', machineBadge()] : null),
        el('p', { class: 'span-text' }, '“', this.cps.slice(a.start, a.end).join(''), '”',
          el('span', { class: 'muted small' }, ` [${a.start}–${a.end}]`)),
        el('dl', {}, rows.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, String(v))))),
        el('p', { class: 'by' }, 'Produced by ', el('code', {}, a.by ?? 'unknown')),
        row?.cluster && el('button', {
          type: 'button',
          class: 'link',
          onclick: (e) => this.opts.openCluster(row.cluster, e.currentTarget),
        }, `Open event cluster ${row.cluster}`));
    });
    fill(this.detail, items);
  }
}

// Text with its line breaks kept; a break between paragraphs gets a
// little space (the "\n" stays in the text, so offsets still hold).
function appendText(parent, s) {
  const parts = s.split('\n');
  parts.forEach((part, k) => {
    if (k > 0) parent.append(el('span', { class: 'nl' }, '\n'));
    if (part) parent.append(document.createTextNode(part));
  });
}

/**
 * The marks for `anns` ({layer, i, start, end}, code-point offsets into
 * `cps`, the text as an array of code points) as a DocumentFragment.
 * The text is cut at every span boundary; between two cuts the spans that
 * cover the piece are open, outermost (earliest start, then longest) first.
 * Going from one piece to the next keeps the marks both share and closes
 * and opens the rest, so contained spans nest and a span that crosses
 * another's end is split into pieces (the later ones get .hl-cont and are
 * out of the Tab order). Exported for the tests.
 */
export function renderSpans(cps, anns, labelOf) {
  const cmp = (x, y) => x.start - y.start || y.end - x.end || PRIORITY[x.layer] - PRIORITY[y.layer] || x.i - y.i;
  const cuts = new Set([0, cps.length]);
  for (const a of anns) { cuts.add(a.start); cuts.add(a.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const fragment = document.createDocumentFragment();
  const pieces = new Map(); // annotation -> its marks, in text order
  let stack = []; // open marks, outermost first
  for (let k = 0; k + 1 < points.length; k++) {
    const s = points[k];
    const e = points[k + 1];
    const covering = anns.filter((a) => a.start <= s && a.end >= e).sort(cmp);
    let p = 0;
    while (p < stack.length && p < covering.length && stack[p].ann === covering[p]) p++;
    stack = stack.slice(0, p);
    let parent = p ? stack[p - 1].node : fragment;
    for (let j = p; j < covering.length; j++) {
      const ann = covering[j];
      const list = pieces.get(ann) ?? [];
      const node = el('mark', {
        class: `hl hl-${ann.layer}${list.length ? ' hl-cont' : ''}`,
        tabindex: list.length ? '-1' : '0',
        dataset: { layer: ann.layer, i: ann.i, start: ann.start, end: ann.end },
      });
      list.push(node);
      pieces.set(ann, list);
      parent.append(node);
      stack.push({ ann, node });
      parent = node;
    }
    appendText(parent, cps.slice(s, e).join(''));
  }
  for (const [ann, list] of pieces) {
    const last = list[list.length - 1];
    last.classList.add('hl-end');
    last.dataset.label = labelOf(ann);
  }
  // How deep the marks inside each mark go: the CSS puts an outer span's
  // underline below its inner ones'.
  const height = (node) => {
    let h = 0;
    for (const c of node.children) if (c.matches('mark.hl')) h = Math.max(h, 1 + height(c));
    node.dataset.h = String(Math.min(h, 3));
    return h;
  };
  for (const m of fragment.children) if (m.matches('mark.hl')) height(m);
  return { fragment, count: pieces.size };
}
