/**
 * JUnit XML for `--junit FILE.xml`: one `<testsuite>` with one `<testcase>` per top-level `--assert` clause, so CI
 * systems (GitLab, Jenkins, GitHub test reporters) show each gate as a test. A failed clause carries a `<failure>`
 * whose message gives the actual values and the expected condition. Every text and attribute is escaped, and
 * characters XML 1.0 cannot carry at all (control characters, lone surrogates) are replaced by U+FFFD.
 */
import type { AssertionResult } from './assert.js';
import { writeTextFileAtomic } from './csv-out.js';

/** What the suite is called and when it ran. */
export interface JunitOptions {
  /** Suite name, e.g. `pulse backtest AAPL 1d`. */
  suiteName: string;
  /** When the run happened, ms since the Unix epoch (UTC); written as an ISO-8601 timestamp. */
  timestampMs: number;
  /** Wall time the backtest took, seconds (>= 0); written as the suite's `time`. Default 0. */
  timeSeconds?: number;
  /** Name/value pairs written as `<properties>` (e.g. symbol, interval, model, seed), in the given order. */
  properties?: ReadonlyArray<readonly [string, string]>;
  /** JUnit `classname` of every testcase. Default `pulse.backtest.assert`. */
  className?: string;
}

/**
 * Replace what XML 1.0 cannot contain even escaped: C0 controls except tab/LF/CR, U+FFFE/U+FFFF, and unpaired
 * surrogates.
 */
function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Escape text for an XML attribute value or element content (both quote kinds, and CR/LF/tab in attributes). */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      default:
        return '&#13;';
    }
  });
}

/** Content of an element: escaped like an attribute except that line breaks stay readable. */
function escapeContent(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

/**
 * Render an assertion result as a JUnit XML document (UTF-8, with declaration, trailing newline). Zero clauses
 * give a valid empty suite. `errors` and `skipped` are always 0: a clause either passes or fails.
 */
export function renderJunitXml(result: AssertionResult, options: JunitOptions): string {
  const className = options.className ?? 'pulse.backtest.assert';
  const failures = result.clauses.filter((c) => !c.passed).length;
  const time = (options.timeSeconds ?? 0).toFixed(3);
  const timestamp = new Date(options.timestampMs).toISOString();
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<testsuites name="${escapeXml(options.suiteName)}" tests="${result.clauses.length}" failures="${failures}" errors="0" time="${time}">`);
  out.push(
    `  <testsuite name="${escapeXml(options.suiteName)}" tests="${result.clauses.length}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${timestamp}">`,
  );
  const properties = [['assert', result.source] as const, ...(options.properties ?? [])];
  out.push('    <properties>');
  for (const [name, value] of properties) out.push(`      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  out.push('    </properties>');
  for (const clause of result.clauses) {
    const head = `    <testcase name="${escapeXml(clause.text)}" classname="${escapeXml(className)}" time="0"`;
    if (clause.passed) {
      out.push(`${head}/>`);
      continue;
    }
    const message = `${clause.reason ?? 'failed'}; expected ${clause.text}`;
    const body = [`expected: ${clause.text}`, ...clause.values.map((v) => `actual:   ${v.key} = ${v.value === null ? 'null' : String(v.value)}`)];
    // A reason beyond the actual values (a null statistic and why) gets its own line.
    if (clause.reason !== undefined && !clause.reason.startsWith('actual ')) body.push(`reason:   ${clause.reason}`);
    out.push(`${head}>`);
    out.push(`      <failure message="${escapeXml(message)}" type="AssertionFailed">${escapeContent(body.join('\n'))}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/**
 * Render the JUnit XML and write it to `path` atomically (for `--junit FILE.xml`).
 * @throws UsageError when the file cannot be written.
 */
export function writeJunitXml(path: string, result: AssertionResult, options: JunitOptions): void {
  writeTextFileAtomic(path, [renderJunitXml(result, options)], '--junit');
}
