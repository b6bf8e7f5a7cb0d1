/**
 * Size of the browser build as an app ships it: src/browser.ts bundled by esbuild (--platform=browser, minified,
 * ESM with code splitting, so the chart renderer loads on first use), gzip-compressed, beside the helper-thread
 * script and the kernels. Fails if TensorFlow.js (or any Node built-in) ends up in the bundle.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/** One file of the browser build. */
export interface BundlePart {
  what: string;
  bytes: number;
  gzip: number;
}

const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;

/** Bundles and measures; every figure is in bytes. */
export async function benchBundle(): Promise<{
  parts: BundlePart[];
  initialGzip: number;
  totalGzip: number;
  inputs: number;
}> {
  const out = mkdtempSync(join(tmpdir(), 'stockcast-bundle-'));
  try {
    const common = {
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      target: 'es2022',
      logLevel: 'error',
      metafile: true,
    } as const;
    const app = await build({
      ...common,
      entryPoints: { browser: 'src/browser.ts' },
      splitting: true,
      outdir: join(out, 'app'),
    });
    await build({ ...common, entryPoints: ['src/browser-worker.ts'], outfile: join(out, 'worker.js') });
    const inputs = Object.keys(app.metafile.inputs);
    const banned = inputs.filter((i) => /@tensorflow|node-gyp-build|yahoo-finance2|bullmq|ioredis/.test(i));
    const node = (m: Metafile) =>
      Object.values(m.inputs).flatMap((i) => i.imports.filter((x) => x.path.startsWith('node:')).map((x) => x.path));
    if (banned.length > 0 || node(app.metafile).length > 0)
      throw new Error(`the browser bundle reaches ${[...banned, ...node(app.metafile)].join(', ')}`);
    const parts: BundlePart[] = [];
    // The entry chunk and what it imports statically load with the page; the rest (vega, for charts) on first use.
    const entry = Object.entries(app.metafile.outputs).find(([, o]) => o.entryPoint === 'src/browser.ts')!;
    const initial = new Set([
      entry[0],
      ...entry[1].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
    ]);
    let lazy = { bytes: 0, gzip: 0 };
    for (const f of readdirSync(join(out, 'app'))) {
      const bytes = readFileSync(join(out, 'app', f));
      const path = Object.keys(app.metafile.outputs).find((p) => p.endsWith(`/app/${f}`))!;
      if (initial.has(path))
        parts.push({
          what: f === 'browser.js' ? 'entry (browser.js)' : `entry chunk ${f}`,
          bytes: bytes.length,
          gzip: gz(bytes),
        });
      else lazy = { bytes: lazy.bytes + bytes.length, gzip: lazy.gzip + gz(bytes) };
    }
    parts.push({ what: 'charts, loaded on first use (vega, vega-lite)', ...lazy });
    const w = readFileSync(join(out, 'worker.js'));
    parts.push({ what: 'helper-thread script (worker.js)', bytes: w.length, gzip: gz(w) });
    const k = readFileSync('wasm/kernels.wasm');
    parts.push({ what: 'kernels (kernels.wasm)', bytes: k.length, gzip: gz(k) });
    const initialGzip =
      parts.filter((p) => p.what.startsWith('entry')).reduce((a, p) => a + p.gzip, 0) + parts[parts.length - 1].gzip;
    return { parts, initialGzip, totalGzip: parts.reduce((a, p) => a + p.gzip, 0), inputs: inputs.length };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
