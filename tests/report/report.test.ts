import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  backtestChart,
  compareModels,
  equityChart,
  readCsv,
  renderReport,
  simulateStrategy,
  writeReport,
  type Comparison,
} from '../../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run); a developer machine without it skips only the browser part.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

let comparison: Comparison;
let frequency: 'daily';
beforeAll(async () => {
  const sp = await readCsv('fixtures/sp500-2000.csv');
  frequency = 'daily';
  comparison = await compareModels(sp, ['naive', 'drift', 'ma:10'], { target: 'close', testSize: 120 });
});

describe('HTML report', () => {
  it('prints integers as integers and other numbers compactly', () => {
    const html = renderReport({
      title: 't',
      charts: [],
      tables: [{ title: 't', columns: ['a', 'b', 'c', 'd'], rows: [[64, 0.8620312, 2763.6512, Number.NaN]] }],
      details: {},
    });
    expect(html).toContain(
      '<td class="num">64</td><td class="num">0.86203</td><td class="num">2763.7</td><td class="num">n/a</td>',
    );
  });

  it('escapes text and contains no script', () => {
    const html = renderReport({
      title: '<b>x</b>',
      charts: [],
      tables: [{ title: 't', columns: ['a'], rows: [['<script>']] }],
      details: { note: '</pre>' },
    });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;/pre&gt;');
  });

  it.skipIf(!haveBrowser)('renders its charts in headless Chromium with no console errors', async () => {
    mkdirSync('test-artifacts', { recursive: true });
    const file = resolve('test-artifacts/report.html');
    const sim = simulateStrategy(comparison.results.drift, frequency);
    await writeReport(file, {
      title: 'Backtest report',
      charts: [await backtestChart(Object.values(comparison.results)), await equityChart(sim, 'drift')],
      tables: [
        { title: 'Metrics', columns: ['model', 'rmse'], rows: comparison.rows.map((r) => [r.model, r.metrics.rmse]) },
      ],
      details: { options: { testSize: 120 } },
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('div.chart > svg').count()).toBe(2);
      // Data marks: one line per series in the backtest chart (actual + three models), two in the equity chart.
      expect(await page.locator('div.chart').nth(0).locator('path[aria-roledescription="line mark"]').count()).toBe(4);
      expect(await page.locator('div.chart').nth(1).locator('path[aria-roledescription="line mark"]').count()).toBe(2);
      const box = await page.locator('div.chart > svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(500);
      expect(await page.locator('table tbody tr').count()).toBe(3);
      expect(errors).toEqual([]);
      expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
      await page.screenshot({ path: 'test-artifacts/report.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
