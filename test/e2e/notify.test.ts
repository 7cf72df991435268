/**
 * Notifications through the built CLI (gh-14): `pulse notify test` and the events pulse raises reach a real local
 * HTTP server; the webhook token never shows in `pulse config`; an unreachable channel never fails the command that
 * raised the event.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';
import { startReceiver, type Receiver } from '../notify/receiver.js';

const SECRET = 'T0KENs3cr3tVALUE';

describe.skipIf(!HAS_BUILD)('notifications', () => {
  const tempHome = useTempHome();
  let receiver: Receiver | undefined;
  afterEach(async () => receiver?.close());

  function homeWith(channels: unknown[]): string {
    const home = tempHome();
    expect(pulse(['init', home]).status).toBe(0);
    writeFileSync(join(home, 'pulse.config.json'), JSON.stringify({ notify: { channels } }));
    return home;
  }

  it('sends the test event and the events of a forced promotion to a webhook, and masks its token in pulse config', async () => {
    receiver = await startReceiver();
    const home = homeWith([{ name: 'ops', format: 'generic', url: `${receiver.origin}/hook/${SECRET}` }]);
    const h = ['--home', home];
    const test = await pulseAsync(['notify', 'test', ...h, '--json']).done;
    expect(test.status, test.stderr).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].path).toBe(`/hook/${SECRET}`);
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({ type: 'test', severity: 'info', home });
    expect(test.stdout).not.toContain(SECRET);

    const config = pulse(['config', ...h, '--json']);
    expect(config.status).toBe(0);
    expect(config.stdout).toContain('/hook/');
    expect(config.stdout).not.toContain(SECRET);

    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', ...h]).status).toBe(0);
    const train = () => pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h, '--json']).json().result.models[0].model.id as string;
    train();
    const second = train();
    const forced = await pulseAsync(['promote', second, '--force', ...h]).done;
    expect(forced.status, forced.stderr).toBe(0);
    const event = JSON.parse(receiver.requests[1].body);
    expect(event).toMatchObject({ type: 'promotion', severity: 'warn', fields: { modelId: second, forced: true } });
  });

  it('masks the token of a misconfigured channel in the configuration error (exit 2)', () => {
    const home = homeWith([{ name: 'phone', format: 'telegram', url: `https://api.telegram.org/bot123456:${SECRET}/sendMessage`, chatId: 5, extra: 1 }]);
    const r = pulse(['config', '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pulse: error: invalid configuration: /m);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('reports an unreachable channel without failing the command that raised the event', async () => {
    receiver = await startReceiver(() => ({ status: 500 }));
    const home = homeWith([{ name: 'down', format: 'slack', url: `${receiver.origin}/services/${SECRET}` }]);
    const test = await pulseAsync(['notify', 'test', '--home', home]).done;
    expect(test.status).toBe(1);
    expect(test.stdout + test.stderr).not.toContain(SECRET);
    expect(test.stderr).toContain('1 of 1 channels could not be reached');
    // A missing model file makes health critical: the event cannot be delivered, and health still exits 4, its own code.
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', ...h]).status).toBe(0);
    expect(pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h]).status).toBe(0);
    for (const f of readdirSync(join(home, 'models'))) rmSync(join(home, 'models', f));
    const before = receiver.requests.length;
    const health = await pulseAsync(['health', '-q', ...h]).done;
    expect(health.status).toBe(4);
    expect(health.stderr).toMatch(/notification .*down.* failed|down/);
    expect(health.stderr).not.toContain(SECRET);
    expect(receiver.requests.length - before).toBe(4); // the first attempt and three retries
    expect(JSON.parse(receiver.requests[before].body).text).toContain('health critical');
  });
});
