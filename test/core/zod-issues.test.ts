import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeIssue, describeIssues } from '../../src/core/zod-issues.js';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error('expected a failure');
  return r.error.issues;
};

describe('describeIssue', () => {
  it('names the field, the value and the allowed range', () => {
    const s = z.object({ horizon: z.number().int().min(1).max(100), rate: z.number().positive(), kind: z.enum(['a', 'b']) }).strict();
    expect(describeIssues(issuesOf(s, { horizon: 0, rate: 0, kind: 'c' }))).toBe(
      'horizon must be at least 1 (got 0); rate must be greater than 0 (got 0); kind must be one of "a", "b" (got "c")',
    );
    expect(describeIssue(issuesOf(s, { horizon: 101, rate: 1, kind: 'a' })[0])).toBe('horizon must be at most 100 (got 101)');
    expect(describeIssue(issuesOf(s, { horizon: 'x', rate: 1, kind: 'a' })[0])).toBe('horizon must be a number (got "x")');
    expect(describeIssue(issuesOf(s, { rate: 1, kind: 'a' })[0])).toBe('horizon is missing');
    expect(describeIssue(issuesOf(s, { horizon: 1, rate: 1, kind: 'a', extra: 1 })[0])).toBe('unknown key "extra"');
  });

  it('writes paths as a user reads them, or with the names the caller gives', () => {
    const s = z.array(z.object({ horizon: z.number().min(1) }));
    const [issue] = issuesOf(s, [{ horizon: 1 }, { horizon: 0 }]);
    expect(describeIssue(issue)).toBe('[1].horizon must be at least 1 (got 0)');
    expect(describeIssue(issue, { name: (p) => (p[1] === 'horizon' ? 'h' : String(p[1])) })).toBe('h must be at least 1 (got 0)');
  });

  it("keeps a schema's own message", () => {
    const s = z.object({ open: z.string().regex(/^\d\d:\d\d$/, 'expected a local time HH:MM'), list: z.array(z.string()).min(1, 'list at least one') });
    expect(describeIssues(issuesOf(s, { open: '9:00', list: [] }))).toBe('open: expected a local time HH:MM (got "9:00"); list: list at least one (got [])');
  });
});
