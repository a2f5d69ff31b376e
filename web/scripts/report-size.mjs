// After `vite build`: prints the gzipped size of the JavaScript that index.html loads
// (the entry and what it preloads) and fails the build past the 200 KB budget.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const dist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dist');
const BUDGET = 200 * 1024;
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
const initialBytes = initial.reduce((n, f) => n + gz(f), 0);
const all = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const allBytes = all.reduce((n, f) => n + gz(`assets/${f}`), 0);
const css = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.css'));
const cssBytes = css.reduce((n, f) => n + gz(`assets/${f}`), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`web: initial JS ${kb(initialBytes)} gzipped (budget ${kb(BUDGET)}); ` +
  `all JS ${kb(allBytes)} in ${all.length} files; CSS ${kb(cssBytes)}`);
if (initialBytes > BUDGET) {
  console.error(`web: initial JS is over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
