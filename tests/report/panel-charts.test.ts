import { describe, expect, it } from 'vitest';
import { comparePanelModels, DataError, panelBacktestChart, readPanelCsv } from '../../src/index.js';

describe('panelBacktestChart', () => {
  it('draws one small multiple per symbol with each model’s forecasts', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const rows = await comparePanelModels(stocks, ['naive', 'drift'], { testSize: 12 });
    const svg = await panelBacktestChart(rows.map((r) => r.result));
    expect(svg).toMatch(/^<svg/);
    for (const symbol of stocks.symbols) expect(svg).toContain(`>${symbol}<`);
    for (const series of ['actual', 'naive', 'drift']) expect(svg).toContain(`>${series}<`);
    expect(svg).toContain('price: actual vs one-step forecasts, per symbol');
  });

  it('refuses an empty list', async () => {
    await expect(panelBacktestChart([])).rejects.toThrow(DataError);
  });
});
