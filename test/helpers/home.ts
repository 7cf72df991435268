import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temporary pulse home per test, removed afterwards. */
export function useTempHome(): () => string {
  const homes: string[] = [];
  afterEach(() => {
    for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
  });
  return () => {
    const h = mkdtempSync(join(tmpdir(), 'pulse-test-'));
    homes.push(h);
    return h;
  };
}
