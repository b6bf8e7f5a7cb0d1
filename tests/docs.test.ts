import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('API docs', () => {
  it('typedoc builds from src/index.ts with zero warnings (treatWarningsAsErrors)', () => {
    const r = spawnSync(process.execPath, ['node_modules/typedoc/bin/typedoc', '--emit', 'none'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  });
});
