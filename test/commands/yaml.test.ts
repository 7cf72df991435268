/**
 * `pulse optimize show -f yaml`: the YAML rendering reads back (PyYAML, the reference YAML 1.1 reader) as the JSON
 * document it renders, including strings YAML would otherwise take for numbers, booleans or nulls.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../commands/ui/yaml.js';

const HAS_PYYAML = spawnSync('/usr/bin/python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;

/** Parse YAML with PyYAML and return it as JSON text. */
function pyyaml(text: string): unknown {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const doc = {
  study: 'ACME-1d-lightgbm-cv-loss',
  direction: 'minimize',
  bestTrial: { number: 3, state: 'complete', value: 0.0478, params: { num_leaves: 31, learning_rate: 1.5e-8, c: 'b', flag: true, none: null }, intermediate: [{ step: 0, value: 0.05 }, { step: 1, value: 0.0478 }] },
  importance: [{ param: 'num_leaves', importance: 0.75 }, { param: 'learning_rate', importance: 0.25 }],
  tricky: ['yes', 'no', 'null', '123', '1e5', '', ' padded', 'a: b', '- dash', '#hash', 'line\nbreak', 'x"quote', 'true'],
  empty: { list: [], map: {} },
  trials: [],
};

describe('toYaml', () => {
  it('renders block mappings and sequences', () => {
    expect(toYaml({ a: 1, b: [1, { c: 'x' }], d: {} })).toBe('a: 1\nb:\n  - 1\n  - c: x\nd: {}\n');
  });

  it.skipIf(!HAS_PYYAML)('reads back as the same document', () => {
    expect(pyyaml(toYaml(doc))).toEqual(doc);
  });
});
