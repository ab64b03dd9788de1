/**
 * `tsx scripts/maintainer/report-check.ts <report.html>` (CI): opens a chapter 10 run report in a real
 * headless Chromium (Debian's `chromium`, driven by playwright-core) and checks that it renders: the verdict,
 * every plot drawn with a visible line, the data embedded as JSON. Saves a screenshot beside the page.
 * The tests check the report's data; this checks that a browser shows it.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const PLOTS = 7;
const page = process.argv[2];
if (!page || !existsSync(page)) {
  console.error('usage: tsx scripts/maintainer/report-check.ts <report.html>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const problems: string[] = [];
try {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const requests: string[] = [];
  tab.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await tab.goto(pathToFileURL(page).href);
  const verdict = (await tab.locator('#verdict').textContent())?.trim() ?? '';
  if (!/^SLO (met|missed)/.test(verdict)) problems.push(`the verdict reads "${verdict}"`);
  const lines = await tab.locator('svg.plot path.line').evaluateAll((paths) =>
    paths.map((p) => {
      // Runs in the page: DOM types are not in this project's lib, so the two calls are typed here.
      const box = (p as unknown as { getBBox(): { width: number } }).getBBox();
      const style = (
        globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }
      ).getComputedStyle(p);
      return {
        width: box.width,
        points: (p.getAttribute('d') ?? '').split(/[ML]/).length - 1,
        stroke: style.stroke,
      };
    }),
  );
  if (lines.length !== PLOTS) problems.push(`${lines.length} plots rendered, not ${PLOTS}`);
  lines.forEach((line, i) => {
    if (line.width <= 0 || line.points < 2)
      problems.push(`plot ${i + 1} draws no line (${JSON.stringify(line)})`);
    if (line.stroke === 'none') problems.push(`plot ${i + 1}'s line has no stroke`);
  });
  const data = JSON.parse((await tab.locator('#run-data').textContent()) ?? 'null') as {
    seed?: number;
  } | null;
  if (typeof data?.seed !== 'number') problems.push('the page carries no run data');
  if (requests.length > 0) problems.push(`the page asked the network for ${requests.join(', ')}`);
  const shot = page.replace(/\.html$/, '.png');
  await tab.screenshot({ path: shot, fullPage: true });
  console.log(`report-check: ${verdict}; ${lines.length} plots drawn; screenshot ${shot}`);
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(`report-check: ${problems.join('; ')}`);
  process.exit(1);
}
