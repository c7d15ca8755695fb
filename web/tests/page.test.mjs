// Browser tests of the web page (web/dist) against a real `sitrep serve`
// on a fixture store built here: the bundled examples, a generated corpus
// of 60 stories, and one article with emoji (non-BMP characters) so that
// code-point offsets differ from JavaScript's UTF-16 indexes.
//
// Needs: a built page (web/build.sh), the sitrep binary ($SITREP_BIN,
// default target/release/sitrep), the gazetteer (var/gazetteer, made by
// ./setup; $SITREP_GAZETTEER overrides) and Chromium ($CHROMIUM, default
// /usr/bin/chromium). playwright-core never downloads a browser.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { categoryColour } from '../src/common.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const dist = path.join(repo, 'web', 'dist');
const BIN = process.env.SITREP_BIN || path.join(repo, 'target', 'release', 'sitrep');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const GAZETTEER = process.env.SITREP_GAZETTEER || path.join(repo, 'var', 'gazetteer');
const SHOTS = path.join(repo, 'out', 'screenshots');

// An article whose annotations sit after emoji, flags and curly quotes.
const EMOJI_ARTICLE = `Title: Drones hit Kharkiv power plant 🔥 as Moscow denies attack
Published: 2025-06-10
URL: https://example.org/news/kharkiv-power-plant

🔴 KHARKIV, Ukraine — Russian forces launched 12 drones at a power plant in Kharkiv on Monday, the regional governor said. “We will restore power within two days,” said Oleh Syniehubov, the head of the Kharkiv regional military administration 🇺🇦.
Russia's defence ministry denied the attack, saying its forces had struck “military targets” near Izium on Sunday. 📡 Officials in Kyiv said 3 people were wounded.
`;

let tmp;
let server;
let base;
let context;

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: repo,
    env: { ...process.env, SITREP_GAZETTEER: GAZETTEER },
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

// Port 0 is not reported back by the server, so take a free port first.
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, proc, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`sitrep serve exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sitrep serve did not answer ${url}/api/health within ${ms} ms`);
}

const api = async (p) => {
  const r = await fetch(`${base}${p}`);
  assert.equal(r.status, 200, `${p}: HTTP ${r.status}`);
  return r.json();
};

function stopServer() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
}
process.on('exit', stopServer);

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), `${dist} is not built: run web/build.sh`);
  assert.ok(fs.existsSync(BIN), `no sitrep binary at ${BIN} (set SITREP_BIN or build it)`);
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (set CHROMIUM or apt-get install chromium)`);
  assert.ok(fs.existsSync(path.join(GAZETTEER, 'meta.json')),
    `no gazetteer at ${GAZETTEER}: run ./setup (events would have no coordinates, so no markers)`);
  fs.mkdirSync(SHOTS, { recursive: true });

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-web-test-'));
  const db = path.join(tmp, 'store.db');
  run(BIN, ['ingest', path.join(repo, 'examples'), '--db', db, '--quiet']);
  run('python3', [path.join(repo, 'scripts', 'make-store-corpus.py'), path.join(tmp, 'corpus'), '--stories', '60', '--seed', '5']);
  run(BIN, ['ingest', path.join(tmp, 'corpus', 'corpus.jsonl'), '--db', db, '--quiet']);
  fs.mkdirSync(path.join(tmp, 'extra'));
  fs.writeFileSync(path.join(tmp, 'extra', 'kharkiv-power-plant.txt'), EMOJI_ARTICLE);
  run(BIN, ['ingest', path.join(tmp, 'extra'), '--db', db, '--quiet']);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['serve', '--db', db, '--web', dist, '--addr', `127.0.0.1:${port}`], {
    cwd: repo,
    env: { ...process.env, SITREP_GAZETTEER: GAZETTEER },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  try {
    await waitForHealth(base, server);
  } catch (e) {
    throw new Error(`${e.message}\n${stderr}`);
  }

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
  });
});

after(async () => {
  await context?.close().catch(() => {});
  stopServer();
  if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A new page that records every console error, page error and failed request. */
async function openPage(hash = '', viewport = { width: 1366, height: 768 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(`${base}/${hash}`);
  await settled(page);
  return { page, problems };
}

/** Waits until the page has loaded and no API request is in flight. */
async function settled(page) {
  await page.waitForSelector('body[data-ready=true]', { timeout: 15000 });
  await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 15000 });
}

const hashParams = (page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
const timelineTotal = (page) => page.$eval('#timeline-svg', (s) => Number(s.dataset.total));
const markerCount = (page) => page.locator('path.event-marker').count();
const markerFills = (page) => page.$$eval('path.event-marker', (ps) => ps.map((p) => p.getAttribute('fill')));
const matchTotal = async (page) => Number((await page.textContent('#match-count')).match(/^([\d,]+)/)[1].replace(/,/g, ''));

/** Clicks a marker where it is not covered by another; returns its count. */
async function clickMarker(page) {
  const target = await page.evaluate(() => {
    for (const p of document.querySelectorAll('path.event-marker')) {
      const b = p.getBoundingClientRect();
      const x = b.left + b.width / 2;
      const y = b.top + b.height / 2;
      if (document.elementFromPoint(x, y) === p) return { x, y, label: p.getAttribute('aria-label') };
    }
    return null;
  });
  assert.ok(target, 'no marker can be clicked');
  await page.mouse.click(target.x, target.y);
  return Number(target.label.match(/: ([\d,]+) event mentions/)[1].replace(/,/g, ''));
}

/**
 * Checks the article view against the API's document: every annotation of
 * every layer is highlighted, and its marks hold exactly the text at its
 * code-point offsets. Returns the document.
 */
async function checkHighlights(page, articleId) {
  const { document: doc } = await api(`/api/articles/${articleId}`);
  const cps = Array.from(doc.text);
  const layers = ['entities', 'places', 'times', 'quotes', 'claims', 'events'];
  const shown = await page.evaluate((ls) => {
    const out = {};
    for (const l of ls) {
      out[l] = {};
      for (const m of document.querySelectorAll(`#article-text mark[data-layer="${l}"]`)) {
        out[l][m.dataset.i] = (out[l][m.dataset.i] ?? '') + m.textContent;
      }
    }
    return out;
  }, layers);
  let checked = 0;
  for (const l of layers) {
    const anns = (doc[l] ?? []).map((a, i) => ({ a, i })).filter(({ a }) => a.end > a.start);
    assert.equal(Object.keys(shown[l]).length, anns.length, `${l}: ${anns.length} spans in the document, ${Object.keys(shown[l]).length} highlighted`);
    for (const { a, i } of anns) {
      assert.equal(shown[l][i], cps.slice(a.start, a.end).join(''), `${l}[${i}] at ${a.start}-${a.end}`);
      checked++;
    }
  }
  assert.ok(checked > 0, 'the article has no annotations to check');
  return doc;
}

test('the page loads without errors: basemap, markers, legend and timeline', async () => {
  const { page, problems } = await openPage();
  const countries = await page.locator('path.country').count();
  assert.ok(countries > 150, `${countries} country shapes`);
  assert.ok(await markerCount(page) > 0, 'no event markers');
  assert.ok(await page.isVisible('#legend'), 'no legend');
  assert.ok(await page.locator('#legend li').count() > 0, 'empty legend');
  assert.ok(await page.locator('#timeline-svg rect.bar').count() > 0, 'no timeline bars');
  assert.ok(await timelineTotal(page) > 0);
  // The count shown is the API's.
  const { total } = await api('/api/events?limit=1');
  assert.equal(await matchTotal(page), total);
  // Every marker is inside the map's box (none off the map).
  const off = await page.evaluate(() => {
    const m = document.getElementById('map').getBoundingClientRect();
    return [...document.querySelectorAll('path.event-marker')].filter((p) => {
      const b = p.getBoundingClientRect();
      const x = b.left + b.width / 2;
      const y = b.top + b.height / 2;
      return x < m.left || x > m.right || y < m.top || y > m.bottom;
    }).length;
  });
  assert.equal(off, 0, `${off} markers outside the map`);
  await page.screenshot({ path: path.join(SHOTS, 'map.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a PLOVER type filter changes markers, timeline and hash; a reload keeps it', async () => {
  const { page, problems } = await openPage();
  const before0 = { total: await timelineTotal(page), match: await matchTotal(page) };
  // The second most frequent type: not the one every marker already shows.
  const { days } = await api('/api/events/timeline');
  const sums = {};
  for (const d of days) if (d.category !== 'OTHER') sums[d.category] = (sums[d.category] ?? 0) + d.count;
  const cat = Object.entries(sums).sort((a, b) => b[1] - a[1])[1][0];

  await page.selectOption('select[name=plover]', cat);
  await page.waitForFunction((c) => location.hash.includes(`plover=${c}`), cat);
  await settled(page);
  const after1 = { total: await timelineTotal(page), match: await matchTotal(page) };
  assert.equal(after1.total, sums[cat], 'timeline total is the type\'s count');
  assert.ok(after1.match < before0.match && after1.match > 0, `matches ${before0.match} -> ${after1.match}`);
  const fills = await markerFills(page);
  assert.ok(fills.length > 0, 'no markers of that type');
  assert.ok(fills.every((f) => f === categoryColour(cat)), `markers not all ${cat}'s colour: ${[...new Set(fills)]}`);
  assert.equal(hashParams(page).get('plover'), cat);

  await page.reload();
  await settled(page);
  assert.equal(await page.inputValue('select[name=plover]'), cat);
  assert.equal(await timelineTotal(page), after1.total);
  assert.equal(await matchTotal(page), after1.match);
  assert.ok((await markerFills(page)).every((f) => f === categoryColour(cat)));

  // A typed country narrows too, and is in the hash.
  await page.fill('input[name=country]', 'ua');
  await page.waitForFunction(() => location.hash.includes('country=UA'));
  await settled(page);
  const { total: uaTotal } = await api(`/api/events?plover=${cat}&country=UA&limit=1`);
  assert.equal(await matchTotal(page), uaTotal);
  assert.ok(uaTotal < after1.match);
  assert.deepEqual(problems, []);
  await page.close();
});

test('brushing the timeline sets the date range, the hash and the counts', async () => {
  const { page, problems } = await openPage();
  const before0 = await matchTotal(page);
  const box = await page.locator('#timeline-svg').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.65, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => location.hash.includes('from=') && location.hash.includes('to='));
  await settled(page);
  const p = hashParams(page);
  const [from, to] = [p.get('from'), p.get('to')];
  assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(from < to, `${from} .. ${to}`);
  assert.equal(await page.inputValue('input[name=from]'), from);
  assert.equal(await page.inputValue('input[name=to]'), to);
  assert.equal(await page.locator('#timeline-svg rect.selection').count(), 1);
  const { total } = await api(`/api/events?from=${from}&to=${to}&limit=1`);
  assert.equal(await matchTotal(page), total);
  assert.ok(total < before0, `${total} of ${before0}`);
  // Days outside the range are dimmed, not dropped: the context stays.
  assert.ok(await page.locator('#timeline-svg g.day.out').count() > 0);

  await page.click('#clear-dates');
  await page.waitForFunction(() => !location.hash.includes('from='));
  await settled(page);
  assert.equal(await matchTotal(page), before0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a marker opens its events; an event opens its cluster with NumSources, sources and article links', async () => {
  const { page, problems } = await openPage();
  const count = await clickMarker(page);
  await page.waitForSelector('#panel:not([hidden]) .event-item');
  await settled(page);
  // The panel lists exactly the marker's cell.
  const listed = Number((await page.textContent('#panel-body [role=status]')).match(/^([\d,]+)/)[1].replace(/,/g, ''));
  assert.equal(listed, count, 'events listed = events in the marker');
  const first = page.locator('.event-item').first();
  assert.match(await first.textContent(), /machine-coded/i);
  assert.match(await first.textContent(), /confidence \d+%/);
  assert.match(await first.textContent(), /\d+ sources?/);

  const clusterId = Number(await first.getAttribute('data-cluster'));
  await first.click();
  await page.waitForSelector('.num-sources');
  await settled(page);
  const { cluster, sources } = await api(`/api/clusters/${clusterId}`);
  assert.equal(Number(await page.textContent('.num-sources')), cluster.num_sources);
  assert.equal(Number(await page.textContent('.num-articles')), cluster.num_articles);
  assert.equal(await page.locator('#panel li.source').count(), sources.length);
  assert.equal(await page.textContent('#panel li.source .publishers'), sources[0].publishers.join(', '));
  assert.equal(hashParams(page).get('view'), `cluster:${clusterId}`);
  await page.screenshot({ path: path.join(SHOTS, 'event-panel.png') });

  // A reload lands on the same cluster.
  await page.reload();
  await settled(page);
  await page.waitForSelector('.num-sources');
  assert.equal(Number(await page.textContent('.num-sources')), cluster.num_sources);

  // An article link opens the article view with its highlights.
  const link = page.locator('#panel .article-link').first();
  const articleId = Number(await link.getAttribute('data-article'));
  await link.click();
  await page.waitForSelector('#article-view:not([hidden]) #article-text mark.hl');
  await settled(page);
  await checkHighlights(page, articleId);
  assert.equal(hashParams(page).get('view'), `article:${articleId}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('search opens an article; every layer is highlighted at its code-point offsets with its rule', async () => {
  const { page, problems } = await openPage();
  await page.fill('#search-q', 'Syniehubov');
  await page.press('#search-q', 'Enter');
  const hit = page.locator('.search-hit').first();
  await hit.waitFor();
  assert.match(await hit.textContent(), /Kharkiv power plant/);
  const id = Number(await hit.getAttribute('data-article'));
  await hit.click();
  await page.waitForSelector('#article-view:not([hidden]) #article-text mark.hl');
  await settled(page);
  const doc = await checkHighlights(page, id);
  // The fixture really tests code points: some span would be cut wrong
  // with UTF-16 indexes, and every layer is present.
  assert.ok(/[\u{10000}-\u{10FFFF}]/u.test(doc.text) && doc.text.includes('“'));
  const layers = ['entities', 'places', 'times', 'quotes', 'claims', 'events'];
  for (const l of layers) assert.ok(doc[l].length > 0, `the fixture has no ${l}`);
  assert.ok(doc.events.some((a) => doc.text.slice(a.start, a.end) !== Array.from(doc.text).slice(a.start, a.end).join('')));

  // Hover and focus show what a span is and which rule produced it.
  for (const l of layers) {
    const mark = page.locator(`#article-text mark[data-layer="${l}"][tabindex="0"]`).first();
    const i = Number(await mark.getAttribute('data-i'));
    if (l === 'events') await mark.hover();
    else await mark.focus();
    const item = page.locator(`#hl-detail .detail-item[data-layer="${l}"][data-i="${i}"]`);
    await item.waitFor();
    assert.equal(await item.locator('.by code').textContent(), doc[l][i].by, `${l}[${i}] by`);
  }
  // Layer-specific details.
  const place = doc.places.findIndex((p) => p.lat !== null);
  await page.locator(`#article-text mark[data-layer="places"][data-i="${place}"]`).first().focus();
  const placeText = await page.textContent(`#hl-detail .detail-item[data-layer="places"][data-i="${place}"]`);
  assert.ok(placeText.includes(doc.places[place].name) && placeText.includes(doc.places[place].lat.toFixed(4)), placeText);
  await page.locator('#article-text mark[data-layer="events"][data-i="0"]').first().focus();
  const eventText = await page.textContent('#hl-detail .detail-item[data-layer="events"][data-i="0"]');
  assert.ok(eventText.includes(doc.events[0].cameo) && eventText.includes(doc.events[0].plover.category), eventText);
  const quote = doc.quotes.findIndex((q) => q.speaker);
  await page.locator(`#article-text mark[data-layer="quotes"][data-i="${quote}"]`).first().focus();
  const quoteText = await page.textContent(`#hl-detail .detail-item[data-layer="quotes"][data-i="${quote}"]`);
  assert.ok(quoteText.includes(doc.quotes[quote].speaker.canonical ?? doc.quotes[quote].speaker.text), quoteText);

  // Layer toggles.
  await page.uncheck('#layer-toggles input[name=entities]');
  assert.equal(await page.locator('#article-text mark[data-layer="entities"]').count(), 0);
  assert.ok(await page.locator('#article-text mark[data-layer="places"]').count() > 0);
  await page.check('#layer-toggles input[name=entities]');
  await checkHighlights(page, id);
  await page.locator('#article-text mark[data-layer="events"]').first().focus();
  await page.screenshot({ path: path.join(SHOTS, 'article.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('overlapping spans nest, and a span crossing another is split without losing text', async () => {
  // The fixture's documents only nest; crossing spans are made up here and
  // rendered by the page's own module.
  const { page, problems } = await openPage();
  const result = await page.evaluate(async () => {
    const { renderSpans } = await import('/article.js');
    const text = '😀 ab “cd” 🇺🇦 ef gh';
    const cps = Array.from(text);
    const anns = [
      { layer: 'quotes', i: 0, start: 0, end: 9 }, // 😀 ab “cd”
      { layer: 'events', i: 0, start: 5, end: 13 }, // crosses the quote's end
      { layer: 'entities', i: 0, start: 6, end: 8 }, // inside both
      { layer: 'places', i: 0, start: 5, end: 13 }, // same span as the event
    ];
    const div = document.createElement('div');
    div.append(renderSpans(cps, anns, (a) => a.layer).fragment);
    const texts = {};
    const pieces = {};
    for (const m of div.querySelectorAll('mark')) {
      const k = `${m.dataset.layer}`;
      texts[k] = (texts[k] ?? '') + m.textContent;
      pieces[k] = (pieces[k] ?? 0) + 1;
    }
    const entity = div.querySelector('mark[data-layer=entities]');
    const ancestors = [];
    for (let m = entity.parentElement; m !== div; m = m.parentElement) ancestors.push(m.dataset.layer);
    return {
      whole: div.textContent === text,
      expected: Object.fromEntries(anns.map((a) => [a.layer, cps.slice(a.start, a.end).join('')])),
      texts,
      pieces,
      ancestors,
      cont: [...div.querySelectorAll('mark.hl-cont')].map((m) => [m.dataset.layer, m.tabIndex]),
    };
  });
  assert.ok(result.whole, 'the text is all there, once');
  assert.deepEqual(result.texts, result.expected);
  assert.equal(result.pieces.quotes, 1);
  assert.equal(result.pieces.events, 2, 'the crossing event is split in two');
  assert.deepEqual(result.ancestors, ['places', 'events', 'quotes'], 'the entity nests inside all three');
  assert.ok(result.cont.every(([, tab]) => tab === -1) && result.cont.length >= 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: Tab reaches the filters, a marker and the event list; Enter opens; Escape closes', async () => {
  const { page, problems } = await openPage();
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return {
      inFilters: !!a.closest('#filter-form'),
      marker: a.matches('path.event-marker'),
      eventItem: a.matches('.event-item'),
      outline: getComputedStyle(a).outlineStyle,
      stroke: getComputedStyle(a).strokeWidth,
    };
  });
  const tabUntil = async (pred, max) => {
    for (let k = 0; k < max; k++) {
      await page.keyboard.press('Tab');
      const a = await active();
      if (pred(a)) return a;
    }
    assert.fail(`not reached in ${max} Tabs`);
  };
  const f = await tabUntil((a) => a.inFilters, 10);
  assert.notEqual(f.outline, 'none', 'a focused filter shows an outline');
  const m = await tabUntil((a) => a.marker, 30);
  assert.equal(m.stroke, '3px', 'a focused marker shows a thick outline');
  await page.keyboard.press('ArrowRight'); // moves between markers, not the map
  assert.ok((await active()).marker);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#panel:not([hidden]) .event-item');
  await settled(page);
  await tabUntil((a) => a.eventItem, 10);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.num-sources');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#panel', { state: 'hidden' });
  // Focus goes back to the marker that opened the panel.
  assert.ok((await active()).marker);
  assert.ok(!hashParams(page).has('view'));

  // Space works on a list item too, and Escape closes the article view.
  await page.keyboard.press('Enter');
  await page.waitForSelector('#panel:not([hidden]) .event-item');
  await settled(page);
  await tabUntil((a) => a.eventItem, 10);
  await page.keyboard.press(' ');
  await page.waitForSelector('#panel .article-link');
  await settled(page);
  await page.locator('#panel .article-link').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#article-view:not([hidden]) mark.hl');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#article-view', { state: 'hidden' });
  assert.ok(await page.isVisible('#panel'));
  await page.keyboard.press('Escape');
  await page.waitForSelector('#panel', { state: 'hidden' });
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [width, height] of [[1366, 768], [1920, 1080]]) {
  test(`layout at ${width}×${height}: no horizontal scrollbar, panels inside the window and apart`, async () => {
    const { page, problems } = await openPage('', { width, height });
    const noScroll = () => page.evaluate(() => [document.documentElement.scrollWidth <= innerWidth, document.documentElement.scrollHeight <= innerHeight]);
    assert.deepEqual(await noScroll(), [true, true]);
    await clickMarker(page);
    await page.waitForSelector('#panel:not([hidden]) .event-item');
    await settled(page);
    const rects = await page.evaluate(() => Object.fromEntries(['panel', 'legend', 'map', 'timeline-svg'].map((id) => {
      const b = document.getElementById(id).getBoundingClientRect();
      return [id, { left: b.left, right: b.right, top: b.top, bottom: b.bottom }];
    })));
    const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    assert.ok(rects.panel.right <= width && rects.panel.top >= 0 && rects.panel.bottom <= height, JSON.stringify(rects.panel));
    assert.ok(apart(rects.panel, rects.legend), 'the panel covers the legend');
    assert.ok(apart(rects.panel, rects['timeline-svg']), 'the panel covers the timeline');
    assert.ok(rects.panel.right - rects.panel.left >= 360, 'the panel is wide enough to read');
    assert.deepEqual(await noScroll(), [true, true]);
    // The article view: text and the detail column side by side, readable.
    await page.fill('#search-q', 'Odesa');
    await page.press('#search-q', 'Enter');
    await page.locator('.search-hit').first().click();
    await page.waitForSelector('#article-view:not([hidden]) mark.hl');
    const cols = await page.evaluate(() => ['article-text', 'hl-detail'].map((id) => {
      const b = document.getElementById(id).getBoundingClientRect();
      return { left: b.left, right: b.right, width: b.width, size: parseFloat(getComputedStyle(document.getElementById(id)).fontSize) };
    }));
    assert.ok(cols[0].right <= cols[1].left && cols[1].right <= width, JSON.stringify(cols));
    assert.ok(cols[0].width >= 500 && cols[1].width >= 260, JSON.stringify(cols));
    assert.ok(cols[0].size >= 14, 'article text at 14px or more');
    assert.deepEqual(await noScroll(), [true, true]);
    if (width === 1920) await page.screenshot({ path: path.join(SHOTS, 'article-1920.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
