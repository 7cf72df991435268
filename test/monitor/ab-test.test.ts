import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { abStatus, startAbTest, stopAbTest } from '../../src/monitor/ab-test.js';
import { serveAbTests, servingArm, type ServablePrediction } from '../../src/predict/ab-serving.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { columnsOf, hourlyBars, modelRecord } from '../store/contract.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

describe('servingArm', () => {
  it('is a function of the test and the bar alone, and serves the challenger the split share of bars', () => {
    const test = { id: 3, seed: 42, split: 30 };
    const arms = Array.from({ length: 20_000 }, (_, i) => servingArm(test, 'ACME', T0 + i * HOUR));
    expect(arms).toEqual(Array.from({ length: 20_000 }, (_, i) => servingArm({ ...test }, 'ACME', T0 + i * HOUR)));
    const share = arms.filter((a) => a === 'challenger').length / arms.length;
    // binomial(20000, 0.3): sd 0.0032; 5 sd
    expect(Math.abs(share - 0.3)).toBeLessThan(0.016);
    const reseeded = Array.from({ length: 1000 }, (_, i) => servingArm({ ...test, seed: 43 }, 'ACME', T0 + i * HOUR));
    expect(reseeded).not.toEqual(arms.slice(0, 1000));
    expect(servingArm({ ...test, split: 1 }, 'X', 0) === 'challenger' || servingArm({ ...test, split: 99 }, 'X', 0) === 'challenger').toBe(true);
  });
});

describe('A/B tests', () => {
  const tempHome = useTempHome();
  const slot = 'AAA|1h|return|h1';

  async function setup(noiseControl: number, noiseChallenger: number, bars = 400) {
    const store = await openStore(tempHome());
    const series = hourlyBars(bars + 2);
    await store.bars.upsert('AAA', '1h', columnsOf(series), { source: 'test', now: 1 });
    await store.models.insert(modelRecord('ridge-AAA-1h-v1', { slot, interval: '1h', status: 'active', createdAt: 1 }));
    await store.models.insert(modelRecord('ridge-AAA-1h-v2', { slot, interval: '1h', status: 'shadow', version: 2, createdAt: 2 }));
    const started = T0 - DAY;
    const test = await startAbTest(store, { slot, challenger: 'ridge-AAA-1h-v2', split: 50, minDays: 7, minN: 100, seed: 5, now: started });
    const rng = new Rng(1);
    const made: ServablePrediction[] = [];
    for (let i = 0; i < bars; i++) {
      const outcome = series[i + 1].close / series[i].close - 1;
      for (const [id, noise] of [['ridge-AAA-1h-v1', noiseControl], ['ridge-AAA-1h-v2', noiseChallenger]] as const) {
        const value = outcome + noise * rng.normal();
        const signal = value > 0 ? 'long' : value < 0 ? 'short' : 'flat';
        await store.predictions.upsert({ modelId: id, symbol: 'AAA', interval: '1h', barTs: series[i].ts, horizon: 1, value, intervals: null, signal, fallback: false, createdAt: started + HOUR });
        await store.predictions.setOutcome(id, series[i].ts, outcome, started + 2 * HOUR);
        made.push({ symbol: 'AAA', modelId: id, barTs: series[i].ts, signal, fallback: false });
      }
    }
    await serveAbTests(store, made, started + HOUR);
    return { store, test, made };
  }

  it('records one serving arm per bar, as the split says, and marks both arms\' predictions', async () => {
    const { store, test, made } = await setup(0.01, 0.001);
    const served = await store.abTests.served(test.id);
    expect(served).toHaveLength(400);
    for (const row of served) expect(row.arm).toBe(servingArm(test, 'AAA', row.barTs));
    expect(made.filter((p) => p.abTest?.served)).toHaveLength(400);
    expect(made.every((p) => p.abTest?.id === test.id)).toBe(true);
    await store.close();
  });

  it('waits for its minimums, then picks the arm with the lower loss and promotes a winning challenger', async () => {
    const { store, test } = await setup(0.01, 0.001);
    const early = (await abStatus(store, { now: T0 + 2 * DAY }))[0];
    expect(early).toMatchObject({ id: test.id, decision: 'collecting', n: 400 });
    expect(early.reasons[0]).toMatch(/^ran 3\.0 of 7 days$/);
    const [late] = await abStatus(store, { now: T0 + 8 * DAY, autoWinner: true });
    expect(late).toMatchObject({ decision: 'challenger', status: 'decided', winner: 'challenger' });
    expect(late.test!.pValue).toBeLessThan(0.05);
    expect(late.challenger.meanLoss!).toBeLessThan(late.control.meanLoss!);
    expect(late.challenger.hitRate!).toBeGreaterThan(late.control.hitRate!);
    expect(late.control.served + late.challenger.served).toBe(400);
    expect((await store.models.active(slot))?.id).toBe('ridge-AAA-1h-v2');
    expect((await store.modelEvents.list({ slot, limit: 5 }))[0]).toMatchObject({ kind: 'ab-promote', modelId: 'ridge-AAA-1h-v2', previousId: 'ridge-AAA-1h-v1' });
    expect(await abStatus(store, { now: T0 + 9 * DAY })).toEqual([]);
    expect((await abStatus(store, { now: T0 + 9 * DAY, all: true }))[0]).toMatchObject({ winner: 'challenger', decision: 'challenger' });
    await store.close();
  });

  it('finds no difference between equal arms, and can be stopped with its figures kept', async () => {
    const { store, test } = await setup(0.005, 0.005);
    const [s] = await abStatus(store, { now: T0 + 8 * DAY, autoWinner: true });
    expect(s.decision).toBe('no-difference');
    expect(s.status).toBe('running');
    const stopped = await stopAbTest(store, slot, T0 + 8 * DAY);
    expect(stopped.status).toBe('stopped');
    expect((await store.abTests.get(test.id))?.result).toMatchObject({ n: 400, decision: 'no-difference' });
    await expect(stopAbTest(store, slot, T0 + 9 * DAY)).rejects.toThrow(`no running A/B test in ${slot}`);
    await store.close();
  });

  it('refuses a challenger of another slot, a non-shadow, and a second test in a slot', async () => {
    const { store } = await setup(0.01, 0.01, 10);
    await store.models.insert(modelRecord('ridge-BBB-1h-v1', { slot: 'BBB|1h|return|h1', symbols: ['BBB'], interval: '1h', status: 'shadow' }));
    const base = { slot, split: 50, minDays: 7, minN: 100, seed: 1, now: T0 };
    await expect(startAbTest(store, { ...base, challenger: 'ridge-BBB-1h-v1' })).rejects.toThrow('an A/B test runs within one slot: ridge-BBB-1h-v1 belongs to BBB|1h|return|h1, not AAA|1h|return|h1');
    await expect(startAbTest(store, { ...base, challenger: 'ridge-AAA-1h-v1' })).rejects.toThrow('ridge-AAA-1h-v1 is active; a challenger must be a shadow of the slot');
    await expect(startAbTest(store, { ...base, challenger: 'ridge-AAA-1h-v2' })).rejects.toThrow(/already runs in AAA\|1h\|return\|h1/);
    await store.close();
  });
});
