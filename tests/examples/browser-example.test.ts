import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExample, serveExample } from '../../examples/browser/serve.js';
import { haveBrowser, launchChromium, watchPage } from '../helpers/browser-page.js';

// The example page, as a user drives it: choose a CSV, pick target and model, train with a progress bar, see the
// forecast chart with its band and the backtest table.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveBrowser)('examples/browser', () => {
  it('trains on a chosen CSV in Chromium and shows the forecast band and the backtest table, with no console errors', async () => {
    const out = join(dir, 'site');
    await buildExample(out);
    const lines = readFileSync('fixtures/sp500-2000.csv', 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'sp500-recent.csv'), [lines[0], ...lines.slice(-300)].join('\n'));
    const server = await serveExample(out, 0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      const { errors, foreign } = watchPage(page, server.url);
      await page.goto(server.url);
      await page.waitForFunction(
        () => (globalThis as { stockcastExampleReady?: boolean }).stockcastExampleReady === true,
      );
      await page.setInputFiles('#file', join(dir, 'sp500-recent.csv'));
      await page.waitForFunction("!document.getElementById('controls').disabled");
      expect(await page.locator('#status').textContent()).toMatch(
        /^sp500-recent\.csv: 300 rows, 6 columns\. Training will use 2 threads\.$/,
      );
      expect(await page.locator('#target').inputValue()).toBe('close');
      await page.selectOption('#cell', 'gru');
      await page.fill('#epochs', '3');
      await page.click('#train');
      await page.waitForFunction("document.querySelectorAll('#backtest tbody tr').length === 3", undefined, {
        timeout: 50_000,
      });
      expect(await page.locator('#progress').getAttribute('value')).toBe('1');
      expect((await page.locator('#backtest tbody tr td:first-child').allTextContents()).sort()).toEqual([
        'drift',
        'gru',
        'naive',
      ]);
      // The forecast chart: history, forecast and the 90% band (an area mark).
      expect(await page.locator('#chart svg').count()).toBe(1);
      expect(await page.locator('#chart path[aria-roledescription="area mark"]').count()).toBe(1);
      await page.screenshot({ path: join('test-artifacts', 'browser-example.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 60_000);
});
