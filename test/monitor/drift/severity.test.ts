import { describe, expect, it } from 'vitest';
import { severityOf } from '../../../src/monitor/drift/severity.js';

describe('severityOf', () => {
  it('grades distances by score / threshold', () => {
    expect(severityOf('distance', 0.09, 0.1, false)).toBe('none');
    expect(severityOf('distance', 0.1, 0.1, true)).toBe('low');
    expect(severityOf('distance', 0.199, 0.1, true)).toBe('low');
    expect(severityOf('distance', 0.2, 0.1, true)).toBe('medium');
    expect(severityOf('distance', 0.4, 0.1, true)).toBe('high');
  });

  it('grades p-values by decades below the threshold', () => {
    expect(severityOf('p-value', 0.2, 0.05, false)).toBe('none');
    expect(severityOf('p-value', 0.05, 0.05, true)).toBe('low');
    expect(severityOf('p-value', 0.0051, 0.05, true)).toBe('low');
    expect(severityOf('p-value', 0.005, 0.05, true)).toBe('medium');
    expect(severityOf('p-value', 0.0000501, 0.05, true)).toBe('medium');
    expect(severityOf('p-value', 0.00005, 0.05, true)).toBe('high');
    expect(severityOf('p-value', 0, 0.05, true)).toBe('high');
  });
});
