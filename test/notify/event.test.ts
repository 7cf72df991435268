import { describe, expect, it } from 'vitest';
import { createEvent, DEFAULT_SEVERITY, EVENT_TYPES, severityRank, testEvent } from '../../src/notify/event.js';

describe('createEvent', () => {
  it("fills the type's default severity and the time, and folds texts onto one line", () => {
    const event = createEvent({
      type: 'backup-failed',
      title: 'backup\nfailed',
      message: '  disk   full\n on /srv  ',
      home: '/srv/pulse',
      time: new Date(Date.UTC(2026, 11, 5, 8, 30)),
      fields: { freeBytes: 0 },
    });
    expect(event).toEqual({
      type: 'backup-failed',
      severity: 'critical',
      title: 'backup failed',
      message: 'disk full on /srv',
      home: '/srv/pulse',
      time: '2026-12-05T08:30:00.000Z',
      fields: { freeBytes: 0 },
    });
    expect(createEvent({ type: 'backup-failed', severity: 'warn', title: 't', message: 'm', home: 'h' }).severity).toBe('warn');
  });

  it('has a default severity for every type, ranked info < warn < critical', () => {
    for (const type of EVENT_TYPES) expect(DEFAULT_SEVERITY[type]).toBeDefined();
    expect(severityRank('info')).toBeLessThan(severityRank('warn'));
    expect(severityRank('warn')).toBeLessThan(severityRank('critical'));
  });

  it('builds the test event pulse notify test sends', () => {
    expect(testEvent('/h', new Date(0))).toEqual({
      type: 'test',
      severity: 'info',
      title: 'pulse test notification',
      message: 'this channel receives pulse events; nothing needs doing',
      home: '/h',
      time: '1970-01-01T00:00:00.000Z',
      fields: {},
    });
  });
});
