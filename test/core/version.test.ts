import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PULSE_VERSION } from '../../src/core/version.js';

it('is the version in package.json', () => {
  expect(PULSE_VERSION).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version);
});
