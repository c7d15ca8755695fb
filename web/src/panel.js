// The event panel beside the map: the events of a marker's cell (or of the
// whole view), and one event's cluster: how many independent sources
// reported it, their publishers and wording, who said what about it, and
// links to the articles. Every event is labelled machine-coded, with its
// confidence and evidence text, never as a verified incident.

import { get, filterParams } from './api.js';
import {
  actorText, cameoLabel, categoryDot, el, fill, fmtInt, machineBadge, pct, track,
} from './common.js';

const PAGE = 50;

export class EventPanel {
  /**
   * @param {HTMLElement} root the panel (aside#panel)
   * @param {{openArticle: Function, onView: Function, onClose: Function}} opts
   */
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.title = root.querySelector('#panel-title');
    this.body = root.querySelector('#panel-body');
    this.back = root.querySelector('#panel-back');
    this.list = null; // the last list shown, for Back
    this.cluster = null; // the cluster shown, if one is
    this.opener = null;
    root.querySelector('#panel-close').addEventListener('click', () => this.close());
    this.back.addEventListener('click', () => this.showList());
  }

  get isOpen() {
    return !this.root.hidden;
  }

  open(opener) {
    if (opener && !this.root.contains(opener)) this.opener = opener;
    this.root.hidden = false;
    document.body.classList.add('panel-open');
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.cluster = null;
    document.body.classList.remove('panel-open');
    this.opts.onView?.(null);
    this.opts.onClose?.();
    // Back to where the user was (a marker, a list item), if still there.
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  }

  /** Lists events: `title`, API params (filters plus bbox), opener. */
  async showEvents(title, params, opener) {
    this.list = { title, params, sort: this.list?.sort ?? 'date' };
    this.open(opener);
    await this.showList();
  }

  async showList() {
    if (!this.list) return;
    this.cluster = null;
    this.opts.onView?.(null);
    this.back.hidden = true;
    const { title, params } = this.list;
    this.title.textContent = title;
    const status = el('p', { class: 'muted', role: 'status' }, 'Loading events…');
    const ul = el('ul', { class: 'event-list', 'aria-label': `Events: ${title}` });
    const more = el('button', { type: 'button', class: 'more', hidden: true }, 'More');
    const sort = el('select', { id: 'panel-sort' });
    for (const [v, label] of [['date', 'Newest first'], ['date-asc', 'Oldest first'], ['sources', 'Most sources'], ['confidence', 'Most confident']]) {
      sort.append(el('option', { value: v }, label));
    }
    sort.value = this.list.sort;
    sort.addEventListener('change', () => {
      this.list.sort = sort.value;
      this.showList().then(() => document.getElementById('panel-sort')?.focus());
    });
    fill(this.body,
      el('div', { class: 'list-head' }, status, el('label', { class: 'sort' }, 'Sort ', sort)),
      ul, more);
    this.title.focus();
    let offset = 0;
    const load = async () => {
      more.disabled = true;
      try {
        const page = await track(get('/api/events', { ...params, sort: this.list.sort, limit: PAGE, offset }));
        for (const row of page.rows) ul.append(this.eventItem(row));
        offset += page.rows.length;
        status.textContent = `${fmtInt(page.total)} event mentions${page.total > offset ? `, showing ${fmtInt(offset)}` : ''}`;
        more.hidden = offset >= page.total;
        more.textContent = `Show ${Math.min(PAGE, page.total - offset)} more`;
      } catch (e) {
        status.textContent = `Could not load events: ${e.message}`;
        status.classList.add('error');
      }
      more.disabled = false;
    };
    more.addEventListener('click', async () => {
      const first = ul.children.length;
      await load();
      ul.children[first]?.querySelector('button')?.focus();
    });
    await load();
  }

  /** One event mention as a list item; its button opens the cluster. */
  eventItem(r) {
    const cat = r.plover ?? 'OTHER';
    const code = `CAMEO ${r.cameo}${cameoLabel(r.cameo) ? ` ${cameoLabel(r.cameo)}` : ''}`;
    const actors = [actorText(r.source), actorText(r.target)];
    const button = el('button', {
      type: 'button',
      class: 'event-item',
      dataset: { event: r.id, cluster: r.cluster ?? '' },
      onclick: () => (r.cluster ? this.showCluster(r.cluster) : null),
      'aria-label': `${cat} ${code}, ${r.date ?? 'undated'}${r.place_name ? `, ${r.place_name}` : ''}: "${r.text}" (${r.publisher}); ${r.num_sources} independent sources, confidence ${pct(r.confidence)}, machine-coded`,
    },
    el('span', { class: 'ev-line1' },
      categoryDot(cat),
      el('strong', {}, cat),
      el('span', { class: 'code' }, code),
      el('span', { class: 'date' }, r.date ?? 'undated')),
    el('span', { class: 'evidence' }, '“', r.text, '”'),
    (actors[0] || actors[1]) && el('span', { class: 'actors' },
      actors[0] || '?', ' → ', actors[1] || '?'),
    el('span', { class: 'meta' },
      r.place_name && el('span', { class: 'place' }, `${r.place_name}${r.country ? `, ${r.country}` : ''}`),
      el('span', {}, r.publisher),
      el('span', { title: 'Independent sources (duplicate groups) reporting this event' }, `${fmtInt(r.num_sources)} source${r.num_sources === 1 ? '' : 's'}`),
      el('span', { title: 'The extractor\'s confidence' }, `confidence ${pct(r.confidence)}`),
      r.modality && r.modality !== 'asserted' && el('span', { class: 'modality' }, r.modality),
      machineBadge()));
    return el('li', {}, button);
  }

  /** A cluster (one real-world event as reported by many articles). */
  async showCluster(id, opener) {
    this.open(opener);
    this.cluster = id;
    this.opts.onView?.(`cluster:${id}`);
    this.back.hidden = !this.list;
    this.title.textContent = `Event cluster ${id}`;
    fill(this.body, el('p', { class: 'muted', role: 'status' }, 'Loading cluster…'));
    this.title.focus();
    let data;
    try {
      data = await track(get(`/api/clusters/${encodeURIComponent(id)}`));
    } catch (e) {
      fill(this.body, el('p', { class: 'error', role: 'alert' }, `Could not load cluster ${id}: ${e.message}`));
      return;
    }
    const c = data.cluster;
    const cat = data.mentions.find((m) => m.plover)?.plover ?? 'OTHER';
    const titles = new Map(data.mentions.map((m) => [m.article, m]));
    const articleLink = (aid, text) => el('button', {
      type: 'button',
      class: 'link article-link',
      dataset: { article: aid },
      onclick: (e) => this.opts.openArticle(aid, e.currentTarget),
    }, text ?? titles.get(aid)?.title ?? `Article ${aid}`);

    const dates = c.date_first === c.date_last ? c.date_first : `${c.date_first} – ${c.date_last}`;
    const stats = el('dl', { class: 'stats' },
      el('div', {}, el('dt', {}, 'NumSources', el('small', {}, 'independent sources')), el('dd', { class: 'num-sources' }, fmtInt(c.num_sources))),
      el('div', {}, el('dt', {}, 'NumArticles', el('small', {}, 'articles')), el('dd', { class: 'num-articles' }, fmtInt(c.num_articles))),
      el('div', {}, el('dt', {}, 'NumMentions', el('small', {}, 'event mentions')), el('dd', {}, fmtInt(c.num_mentions))));

    const sources = el('ol', { class: 'sources' }, data.sources.map((s) => el('li', { class: 'source' },
      el('div', { class: 'publishers' }, s.publishers.join(', ')),
      el('div', { class: 'muted small' }, `first published ${s.first_published ?? 'unknown'} · ${s.articles.length} article${s.articles.length === 1 ? '' : 's'}`),
      s.wording.length > 0 && el('div', { class: 'wording' }, 'Wording: ', s.wording.map((w) => el('q', {}, w))),
      el('ul', { class: 'article-links' }, s.articles.map((aid) => el('li', {}, articleLink(aid)))))));

    const statements = data.statements.length
      ? el('ul', { class: 'statements' }, data.statements.map((q) => el('li', {},
        el('div', {}, el('strong', {}, q.speaker_canonical || q.speaker || 'Unknown speaker'),
          q.speaker_canonical && q.speaker && q.speaker !== q.speaker_canonical ? ` (“${q.speaker}”)` : '',
          ` ${q.cue ?? ''}${q.channel ? ` via ${q.channel}` : ''}${q.direct ? '' : ' (indirect)'}:`),
        el('blockquote', {}, q.text),
        el('div', { class: 'muted small' }, `${q.publisher}, ${q.published ?? ''} · `, articleLink(q.article, 'open article'), ` · by ${q.by}`))))
      : el('p', { class: 'muted' }, 'No statements about this event were found.');

    const mentions = el('ul', { class: 'mentions' }, data.mentions.map((m) => el('li', {},
      el('span', { class: 'evidence' }, '“', m.text, '”'),
      el('div', { class: 'muted small' },
        `${m.publisher}, ${m.published ?? ''} · confidence ${pct(m.confidence)}${m.modality ? ` · ${m.modality}` : ''} · `,
        articleLink(m.article, 'open article')),
      el('div', { class: 'by small' }, 'by ', el('code', {}, m.by)))));

    fill(this.body,
      el('p', { class: 'cluster-head' },
        categoryDot(cat), el('strong', {}, cat), ' ',
        el('span', { class: 'code' }, `CAMEO ${c.cameo} ${cameoLabel(c.cameo)}`), ' ', machineBadge()),
      el('p', { class: 'small' },
        [c.place_name && `${c.place_name}${c.country ? `, ${c.country}` : ''}`, dates,
          c.source_country || c.target_country ? `${c.source_country ?? '?'} → ${c.target_country ?? '?'}` : null,
          c.modality].filter(Boolean).join(' · ')),
      el('p', { class: 'note' }, 'Grouped by sitrep from machine-coded mentions; counts are of reports, not confirmation.'),
      stats,
      el('h3', {}, `Independent sources (${fmtInt(data.sources.length)})`),
      sources,
      el('h3', {}, `Statements (${fmtInt(data.statements.length)})`),
      statements,
      el('h3', {}, `Mentions (${fmtInt(data.mentions.length)})`),
      mentions);
  }
}

/** The API params for the events in a grid cell. */
export const cellParams = (filters, cell) => ({ ...filterParams(filters), bbox: cell.bbox });
