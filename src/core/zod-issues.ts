/**
 * Schema problems in pulse's words. zod's own messages ("0.horizon: Too small: expected number to be >=1") name
 * neither the option nor the value; these name the field as the user wrote it, the value given and what is
 * allowed: `h must be at least 1 (got 0)`.
 */
import type { z } from 'zod';

/** One schema problem (zod's issue type, parsed with `reportInput: true` so the value is known). */
export type SchemaIssue = z.core.$ZodIssue;

/** Options of {@link describeIssue}. */
export interface DescribeIssueOptions {
  /** The field's name as the user wrote it, from its path (default: the path joined with dots). */
  name?: (path: readonly PropertyKey[]) => string;
}

/** A schema issue as one phrase: `<field> must be at least 1 (got 0)`. */
export function describeIssue(issue: SchemaIssue, options: DescribeIssueOptions = {}): string {
  const field = (options.name ?? defaultName)(issue.path);
  const got = 'input' in issue && issue.input !== undefined ? ` (got ${show(issue.input)})` : '';
  // A schema's own message (`.min(1, 'list at least one feature')`) says it best.
  if (!ZOD_DEFAULT.test(issue.message)) return `${field}: ${issue.message}${issue.code === 'custom' || issue.code === 'invalid_format' || issue.code === 'too_small' || issue.code === 'too_big' ? got : ''}`;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} needs at least ${issue.minimum} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return `${field} needs at least ${issue.minimum} characters${got}`;
      return `${field} must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}${got}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} takes at most ${issue.maximum} entries`;
      if (issue.origin === 'string') return `${field} takes at most ${issue.maximum} characters${got}`;
      return `${field} must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${got}`;
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is missing`;
      return `${field} must be ${article(issue.expected === 'int' ? 'whole number' : issue.expected)}${got}`;
    case 'invalid_value':
      return `${field} must be ${issue.values.length === 1 ? show(issue.values[0]) : `one of ${issue.values.map(show).join(', ')}`}${got}`;
    case 'unrecognized_keys':
      return `${field === '(top level)' ? 'unknown' : `${field} has unknown`} key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${issue.divisor}${got}`;
    case 'invalid_format':
      return `${field} is not a valid ${issue.format}${got}`;
    default:
      return `${field}: ${issue.message}${got}`;
  }
}

/** zod's built-in messages, which pulse words itself; anything else is a message the schema chose. */
const ZOD_DEFAULT = /^(Too small|Too big|Invalid|Expected|Unrecognized|Required)\b/;

/** Every issue of a failed parse, joined: `h must be at least 1 (got 0); dz must be at most 1 (got 2)`. */
export function describeIssues(issues: readonly SchemaIssue[], options: DescribeIssueOptions = {}): string {
  return issues.map((i) => describeIssue(i, options)).join('; ');
}

function defaultName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
