// browser.mjs DIR EXPECTED.json SHOTS_DIR - loads every page EXPECTED.json
// names from DIR (served on 127.0.0.1) in Debian's chromium, headless, and
// checks: no console error, no page error, no request leaving 127.0.0.1,
// the quotations with a speaker in the DOM as many as the TEI's said[@who],
// the turns as many as its sp/u, no horizontal scrolling at 320 px, the
// keyboard reaching a quotation whose tooltip then shows who said it.
// Screenshots (320 px and 1024 px) go to SHOTS_DIR.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [dir, expectedFile, shots] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
const root = path.resolve(dir);
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  const file = path.join(root, rel);
  if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
fs.mkdirSync(shots, { recursive: true });
let failures = 0, passed = 0;
const fail = (page, msg) => { failures++; console.log(`FAIL ${page}: ${msg}`); };
for (const [page, want] of Object.entries(expected)) {
  const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const tab = await ctx.newPage();
  const errors = [];
  tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
  tab.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  tab.on('request', (r) => { if (!r.url().startsWith(base)) errors.push(`request outside 127.0.0.1: ${r.url()}`); });
  tab.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const resp = await tab.goto(`${base}/${page}`, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) fail(page, `status ${resp && resp.status()}`);
  const got = await tab.evaluate(() => ({
    said: document.querySelectorAll('span.said[data-who]').length,
    quotes: document.querySelectorAll('span.said').length,
    turns: document.querySelectorAll('div.turn').length,
    rows: document.querySelectorAll('tbody tr').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    lang: document.documentElement.lang,
    title: document.title,
  }));
  for (const k of Object.keys(want)) if (k !== 'focus' && got[k] !== want[k]) fail(page, `${k}: ${got[k]} in the DOM, ${want[k]} expected`);
  if (got.overflow > 0) fail(page, `scrolls sideways by ${got.overflow} px at 320 px`);
  if (!got.lang || !got.title) fail(page, 'no lang or no title');
  if (want.said > 0) {
    // the keyboard: Tab moves through the skip link to the first quotation
    let label = null;
    for (let i = 0; i < 200 && !label; i++) {
      await tab.keyboard.press('Tab');
      label = await tab.evaluate(() => {
        const a = document.activeElement;
        if (!a || !a.matches('span.said[data-who]')) return null;
        const c = getComputedStyle(a, '::after').content;
        return c && c !== 'none' ? c : '';
      });
    }
    if (!label || !label.includes('Said by')) fail(page, `a focused quotation shows no speaker (${label})`);
  }
  const stem = page.replace(/[^A-Za-z0-9_.-]/g, '_');
  await tab.screenshot({ path: path.join(shots, `${stem}.320.png`), fullPage: false });
  await tab.setViewportSize({ width: 1024, height: 768 });
  await tab.screenshot({ path: path.join(shots, `${stem}.1024.png`), fullPage: false });
  for (const e of errors) fail(page, e);
  if (!errors.length) passed++;
  console.log(`${page}: ${got.said} quotations with a speaker (of ${got.quotes}), ${got.turns} turns, ${got.rows} index rows`);
  await ctx.close();
}
await browser.close();
server.close();
console.log(`browser: ${Object.keys(expected).length} pages, ${failures} failures`);
process.exit(failures ? 1 : 0);
