/** docs/features.md is generated from the registry; this fails when it is stale. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFeatureDocs } from '../../src/features/feature-docs.js';
import { DEFAULT_FEATURE_SET, listFeatures, parseFeatureSetSpec } from '../../src/features/feature-set.js';
import { REPO_ROOT } from '../helpers/shared.js';

const path = join(REPO_ROOT, 'docs', 'features.md');

describe('docs/features.md', () => {
  it('matches the registry (regenerate with PULSE_UPDATE_DOCS=1)', () => {
    const rendered = renderFeatureDocs();
    if (process.env.PULSE_UPDATE_DOCS === '1') writeFileSync(path, rendered);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(rendered);
  });

  it('shows an example spec that parses', () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(renderFeatureDocs())?.[1];
    expect(json).toBeDefined();
    const spec = parseFeatureSetSpec(JSON.parse(json!));
    expect(listFeatures(spec).length).toBe(3 + 6 + 2 + 3 + 1);
  });

  it('documents every default feature with its lookback', () => {
    const doc = renderFeatureDocs();
    for (const name of DEFAULT_FEATURE_SET.features) expect(doc).toContain(`| \`${name}\` |`);
  });
});
