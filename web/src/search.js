// Full-text search over the articles (/api/search): the results drop down
// under the box; each opens the article view. The API marks the matched
// words in a snippet with [brackets]; they become <mark> here.

import { get } from './api.js';
import { el, fill } from './common.js';

export class Search {
  /** @param {HTMLFormElement} form @param {HTMLElement} results @param {(id: number, opener: Element) => void} openArticle */
  constructor(form, results, openArticle) {
    this.form = form;
    this.input = form.elements.q;
    this.results = results;
    this.openArticle = openArticle;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    // A click elsewhere closes the list.
    document.addEventListener('pointerdown', (e) => {
      if (!this.results.hidden && !this.results.contains(e.target) && !this.form.contains(e.target)) this.close();
    });
  }

  get isOpen() {
    return !this.results.hidden;
  }

  close() {
    this.results.hidden = true;
  }

  async run() {
    const q = this.input.value.trim();
    if (!q) return this.close();
    this.results.hidden = false;
    fill(this.results, el('p', { class: 'muted', role: 'status' }, 'Searching…'));
    let data;
    try {
      data = await get('/api/search', { q, limit: 25 });
    } catch (e) {
      fill(this.results, el('p', { class: 'error', role: 'alert' }, `Search failed: ${e.message}`));
      return;
    }
    const hits = data.hits ?? [];
    const list = el('ul', { 'aria-label': `Articles matching ${q}` }, hits.map((h) => el('li', {}, el('button', {
      type: 'button',
      class: 'search-hit',
      dataset: { article: h.article },
      onclick: (e) => {
        this.close();
        this.openArticle(h.article, this.input);
        e.preventDefault();
      },
    },
    el('span', { class: 'hit-title' }, h.title ?? h.doc_id),
    el('span', { class: 'muted small' }, `${h.publisher} · ${h.published ?? 'undated'}`),
    el('span', { class: 'snippet' }, snippet(h.snippet ?? ''))))));
    fill(this.results,
      el('p', { class: 'muted small', role: 'status' }, hits.length ? `${hits.length} article${hits.length === 1 ? '' : 's'} (best first)` : `No article matches “${q}”`),
      list);
    list.querySelector('button')?.focus();
  }
}

function snippet(s) {
  return s.split(/\[([^\]]*)\]/).map((part, i) => (i % 2 ? el('mark', {}, part) : part));
}
