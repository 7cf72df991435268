import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateAssertion, parseAssertion } from '../../src/backtest/assert.js';
import { escapeXml, renderJunitXml, writeJunitXml } from '../../src/backtest/junit.js';
import { UsageError } from '../../src/core/errors.js';

const KEYS = ['sharpe', 'maxDrawdownPct', 'trades'];
const PYTHON = '/usr/bin/python3';
const HAS_PYTHON = existsSync(PYTHON);

/** Parse the document with Python's expat-based XML parser and return its structure (a real well-formedness check). */
function parseWithPython(xml: string): any {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def walk(e):
    return {"tag": e.tag, "attrib": dict(e.attrib), "text": e.text or "", "children": [walk(c) for c in e]}
print(json.dumps(walk(root)))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: Buffer.from(xml, 'utf8'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python could not parse the XML:\n${r.stderr}\n${xml}`);
  return JSON.parse(r.stdout);
}

const stats = { sharpe: 0.83, maxDrawdownPct: 12.5, trades: null };
const result = evaluateAssertion(parseAssertion('sharpe >= 1 and maxDrawdownPct < 20 and trades > 10', KEYS), stats, {
  nullReasons: { trades: 'no closed trade' },
});
const options = {
  suiteName: 'pulse backtest AAPL 1d',
  timestampMs: Date.UTC(2024, 5, 1, 12),
  timeSeconds: 1.5,
  properties: [
    ['symbol', 'AAPL'],
    ['seed', '42'],
  ] as Array<[string, string]>,
};

describe('escapeXml', () => {
  it('escapes markup and quotes, and replaces characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('x\u0000y\u001Fz\uFFFF')).toBe('x\uFFFDy\uFFFDz\uFFFD');
    expect(escapeXml('pair \uD83D\uDE00 lone \uD83D end \uDE00')).toBe('pair \uD83D\uDE00 lone \uFFFD end \uFFFD');
    expect(escapeXml('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
  });
});

describe('renderJunitXml', () => {
  it('writes one testsuite with one testcase per clause and failure details', () => {
    const xml = renderJunitXml(result, options);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="2" errors="0" skipped="0" time="1.500" timestamp="2024-06-01T12:00:00.000Z"');
    expect(xml).toContain('<testcase name="maxDrawdownPct &lt; 20" classname="pulse.backtest.assert" time="0"/>');
    expect(xml).toContain('<failure message="actual sharpe = 0.83; expected sharpe &gt;= 1" type="AssertionFailed">');
    expect(xml).toContain('message="trades is null (no closed trade); actual trades = null; expected trades &gt; 10"');
  });

  it('writes the document to a file, or names --junit when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-junit-'));
    try {
      const path = join(dir, 'gate.xml');
      writeJunitXml(path, result, options);
      expect(readFileSync(path, 'utf8')).toBe(renderJunitXml(result, options));
      expect(() => writeJunitXml(join(dir, 'no', 'gate.xml'), result, options)).toThrow(UsageError);
      expect(() => writeJunitXml(join(dir, 'no', 'gate.xml'), result, options)).toThrow(/--junit/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives an empty but valid suite when there is nothing to check', () => {
    const xml = renderJunitXml({ source: '', passed: true, clauses: [] }, options);
    expect(xml).toContain('tests="0" failures="0"');
    expect(xml).not.toContain('<testcase');
  });
});

describe.skipIf(!HAS_PYTHON)('renderJunitXml with a real XML parser', () => {
  it('is well-formed and round-trips names, messages and properties', () => {
    const doc = parseWithPython(renderJunitXml(result, options));
    expect(doc.tag).toBe('testsuites');
    expect(doc.children).toHaveLength(1);
    const suite = doc.children[0];
    expect(suite.attrib).toMatchObject({ name: 'pulse backtest AAPL 1d', tests: '3', failures: '2', errors: '0' });
    const [props, ...cases] = suite.children;
    expect(props.children.map((p: any) => [p.attrib.name, p.attrib.value])).toEqual([
      ['assert', 'sharpe >= 1 and maxDrawdownPct < 20 and trades > 10'],
      ['symbol', 'AAPL'],
      ['seed', '42'],
    ]);
    expect(cases.map((c: any) => c.attrib.name)).toEqual(['sharpe >= 1', 'maxDrawdownPct < 20', 'trades > 10']);
    expect(cases.map((c: any) => c.children.length)).toEqual([1, 0, 1]);
    expect(cases[0].children[0].attrib.message).toBe('actual sharpe = 0.83; expected sharpe >= 1');
    expect(cases[0].children[0].text).toBe('expected: sharpe >= 1\nactual:   sharpe = 0.83');
    expect(cases[2].children[0].text).toBe('expected: trades > 10\nactual:   trades = null\nreason:   trades is null (no closed trade); actual trades = null');
  });

  it('stays well-formed with hostile names and property values', () => {
    const hostile = 'a <b> & "c" \'d\' ]]> \u0001 \uD800 \n\ttab';
    const doc = parseWithPython(
      renderJunitXml(
        { source: hostile, passed: false, clauses: [{ text: hostile, passed: false, values: [{ key: 'k', value: null }], reason: hostile }] },
        { ...options, suiteName: hostile, properties: [[hostile, hostile]], className: hostile },
      ),
    );
    const expected = 'a <b> & "c" \'d\' ]]> \uFFFD \uFFFD \n\ttab';
    const suite = doc.children[0];
    expect(suite.attrib.name).toBe(expected);
    expect(suite.children[0].children[1].attrib).toEqual({ name: expected, value: expected });
    expect(suite.children[1].attrib.name).toBe(expected);
    expect(suite.children[1].attrib.classname).toBe(expected);
  });
});
