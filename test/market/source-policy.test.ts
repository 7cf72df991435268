import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { planSeriesSources, type SeriesSourceInput } from '../../src/market/source-policy.js';

const base: SeriesSourceInput = { symbol: 'GOOG', interval: '1d', requested: undefined, configured: undefined, recorded: undefined, allowSourceChange: false };
const plan = (over: Partial<SeriesSourceInput>) => planSeriesSources({ ...base, ...over });
const real = (source: string) => ({ source, synthetic: false });

describe('planSeriesSources', () => {
  it('has no built-in default: a new series needs --source or collect.source', () => {
    expect(() => plan({})).toThrow(UsageError);
    expect(() => plan({})).toThrow(/no source to collect GOOG 1d from/);
    expect(plan({ configured: ['yahoo', 'binance'] })).toMatchObject({ sources: ['yahoo', 'binance'], record: 'yahoo,binance', changedFrom: null, synthetic: false });
    expect(plan({ requested: ['synthetic'], configured: ['yahoo'] })).toMatchObject({ sources: ['synthetic'], synthetic: true });
  });

  it('collects a stored series from its recorded sources, not the configured ones', () => {
    expect(plan({ recorded: real('yahoo,binance'), configured: ['synthetic'] })).toMatchObject({ sources: ['yahoo', 'binance'], changedFrom: null });
  });

  it('asks for a file when the series came from a CSV and no source is named', () => {
    expect(() => plan({ recorded: real('csv') })).toThrow(/was imported from a CSV file/);
    expect(plan({ recorded: real('csv'), requested: ['csv'] })).toMatchObject({ sources: ['csv'], changedFrom: null });
  });

  it('never puts synthetic bars into a real series, or real bars into a synthetic one, even when changes are allowed', () => {
    expect(() => plan({ recorded: real('csv'), requested: ['synthetic'], allowSourceChange: true })).toThrow(/holds real bars \(from csv\); synthetic bars never go into it/);
    expect(() => plan({ recorded: { source: 'synthetic', synthetic: true }, requested: ['yahoo'], allowSourceChange: true })).toThrow(/holds synthetic bars; real bars never go into it/);
    expect(() => plan({ requested: ['yahoo', 'synthetic'] })).toThrow(/mixes synthetic and real sources/);
  });

  it('needs --allow-source-change for a source the series was not collected from, and reports the change', () => {
    expect(() => plan({ recorded: real('csv'), requested: ['yahoo'] })).toThrow(/collected from csv; --source yahoo would add yahoo/);
    expect(plan({ recorded: real('csv'), requested: ['yahoo'], allowSourceChange: true })).toMatchObject({ sources: ['yahoo'], record: 'yahoo', changedFrom: 'csv' });
  });

  it('takes a subset of the recorded failover list as no change', () => {
    expect(plan({ recorded: real('yahoo,binance'), requested: ['binance'] })).toMatchObject({ sources: ['binance'], record: 'yahoo,binance', changedFrom: null });
    expect(() => plan({ recorded: real('yahoo'), requested: ['yahoo', 'binance'] })).toThrow(/would add binance/);
  });
});
