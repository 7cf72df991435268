/**
 * The `--assert` gate language: a small, safe expression language over backtest statistic keys, parsed by a
 * hand-written recursive-descent parser (never `eval`), so CI can gate on results:
 *
 * ```
 * expr       := orExpr
 * orExpr     := andExpr ( "or" andExpr )*
 * andExpr    := notExpr ( "and" notExpr )*
 * notExpr    := "not" notExpr | primary
 * primary    := "(" expr ")" | comparison
 * comparison := operand ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) operand
 * operand    := statisticKey | number            (at least one side is a statistic key)
 * number     := [+-]? ( digits [ "." digits? ] | "." digits ) ( [eE] [+-]? digits )?
 * ```
 *
 * Keywords are case-insensitive; statistic keys are case-sensitive and must be one of the valid keys. `==` and
 * `!=` compare exactly (IEEE-754 doubles, no tolerance).
 *
 * A statistic that is `null` (not meaningful for this run, e.g. a Sharpe ratio with zero volatility) makes its
 * comparison *unknown*. Unknown propagates through Kleene three-valued logic (`not unknown` is unknown, `false and
 * unknown` is false, `true or unknown` is true), and a top-level clause passes only when it is definitely true, so
 * a clause that depends on a null statistic fails, naming it.
 *
 * Example: `parseAssertion("sharpe >= 1 and maxDrawdownPct < 20", STAT_KEY_LIST)` then `evaluateAssertion(ast,
 * stats)` gives two clauses, each with its actual values, ready for the terminal, the report and JUnit.
 */
import { CheckFailedError, UsageError } from '../core/errors.js';
import { STAT_KEY_LIST, type BacktestResult } from './types.js';

/** A comparison operator of the gate language. */
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One side of a comparison: a statistic key or a numeric literal. */
export type Operand = { readonly kind: 'stat'; readonly key: string } | { readonly kind: 'number'; readonly value: number; readonly text: string };

/** A node of the parsed expression. `start`/`end` are 0-based character offsets into the source text. */
export type AssertNode =
  | { readonly kind: 'compare'; readonly op: ComparisonOp; readonly left: Operand; readonly right: Operand; readonly start: number; readonly end: number }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly AssertNode[]; readonly start: number; readonly end: number }
  | { readonly kind: 'not'; readonly operand: AssertNode; readonly start: number; readonly end: number };

/** A parsed `--assert` expression: the source and its top-level clauses (the conjuncts of a top-level `and`). */
export interface ParsedAssertion {
  /** The expression exactly as given. */
  readonly source: string;
  /** Top-level clauses: `a and (b or c)` has two; an expression without a top-level `and` has one. */
  readonly clauses: readonly AssertNode[];
}

/** The value a statistic had when a clause was evaluated (`null`: not meaningful for this run). */
export interface ClauseValue {
  readonly key: string;
  readonly value: number | null;
}

/** The outcome of one top-level clause. */
export interface ClauseResult {
  /** The clause as written in the source (trimmed, without the surrounding parentheses of the whole clause). */
  readonly text: string;
  /** True only when the clause is definitely true; false when it is false or unknown (a null statistic). */
  readonly passed: boolean;
  /** Each statistic the clause reads, in order of first appearance, with its actual value. */
  readonly values: readonly ClauseValue[];
  /**
   * Why the clause failed, for humans: `actual sharpe = 0.83` or `sharpe is null (not meaningful for this run)`.
   * Undefined when it passed.
   */
  readonly reason?: string;
}

/** The outcome of a whole `--assert` expression. */
export interface AssertionResult {
  readonly source: string;
  /** True when every clause passed. */
  readonly passed: boolean;
  readonly clauses: readonly ClauseResult[];
}

/** Marks the error column inside the expression quoted in a syntax error's hint. */
export const ERROR_MARKER = '\u00bb\u00bb';
const MARKER = ERROR_MARKER;

/** A syntax error in an `--assert` expression: a UsageError (exit 2) that also carries the 1-based column. */
export class AssertSyntaxError extends UsageError {
  /** 1-based column of the offending character in the expression. */
  readonly column: number;
  constructor(source: string, offset: number, what: string) {
    // One line (the entry point prints messages and hints on one line): the expression with a marker at the column.
    const marked = `${source.slice(0, offset)}${MARKER}${source.slice(offset)}`.replace(/\s+/g, ' ');
    super(
      `--assert: ${what} at column ${offset + 1}`,
      `the expression reads ${JSON.stringify(marked)}; write clauses like "sharpe >= 1 and maxDrawdownPct < 20" (or/and/not, parentheses, < <= > >= == !=)`,
    );
    this.column = offset + 1;
  }
}

type TokenKind = 'ident' | 'number' | 'op' | 'lparen' | 'rparen' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const NUMBER_RE = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPS: readonly ComparisonOp[] = ['<=', '>=', '==', '!=', '<', '>'];
const KEYWORDS = new Set(['and', 'or', 'not']);
/** Longest expression accepted, a guard against pathological input (and deep recursion) from a CI file. */
const MAX_SOURCE_LENGTH = 10_000;
const MAX_DEPTH = 200;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // A sign is part of a number only where an operand may start (after an operator, "(" or a keyword, or at the
  // start), which keeps "a -1" an error rather than silently reading it as "a" followed by "-1".
  let operandExpected = true;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, start: i, end: i + 1 });
      operandExpected = c === '(';
      i++;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, start: i, end: i + op.length });
      operandExpected = true;
      i += op.length;
      continue;
    }
    if (c === '=') throw new AssertSyntaxError(source, i, 'unexpected "=" (compare with "==")');
    if (c === '&' || c === '|') throw new AssertSyntaxError(source, i, `unexpected "${c}" (use "and" / "or")`);
    if (c === '!') throw new AssertSyntaxError(source, i, 'unexpected "!" (use "not" or "!=")');
    const signed = c === '+' || c === '-';
    if ((signed && operandExpected) || (c >= '0' && c <= '9') || c === '.') {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(source);
      if (m === null) throw new AssertSyntaxError(source, i, `malformed number`);
      const after = source[i + m[0].length];
      if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) {
        throw new AssertSyntaxError(source, i + m[0].length, `malformed number "${source.slice(i, i + m[0].length + 1)}"`);
      }
      tokens.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
      operandExpected = false;
      i += m[0].length;
      continue;
    }
    IDENT_RE.lastIndex = i;
    const id = IDENT_RE.exec(source);
    if (id !== null) {
      tokens.push({ kind: 'ident', text: id[0], start: i, end: i + id[0].length });
      operandExpected = KEYWORDS.has(id[0].toLowerCase());
      i += id[0].length;
      continue;
    }
    throw new AssertSyntaxError(source, i, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

/** Levenshtein distance, for "did you mean" suggestions on unknown statistic keys. */
function editDistance(a: string, b: string): number {
  const prev = new Uint32Array(b.length + 1);
  const cur = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev.set(cur);
  }
  return prev[b.length];
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly keySet: ReadonlySet<string>;
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly validKeys: readonly string[],
  ) {
    this.keySet = new Set(validKeys);
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private describe(t: Token): string {
    return t.kind === 'end' ? 'end of expression' : `"${t.text}"`;
  }

  parseTopLevel(): AssertNode[] {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') {
      const what = t.kind === 'rparen' ? 'unmatched ")"' : `expected "and", "or" or end of expression, found ${this.describe(t)}`;
      throw new AssertSyntaxError(this.source, t.start, what);
    }
    return node.kind === 'and' ? [...node.operands] : [node];
  }

  private parseOr(): AssertNode {
    const first = this.parseAnd();
    const operands = [first];
    while (this.isKeyword(this.peek(), 'or')) {
      this.pos++;
      operands.push(this.parseAnd());
    }
    if (operands.length === 1) return first;
    return { kind: 'or', operands, start: first.start, end: operands[operands.length - 1].end };
  }

  private parseAnd(): AssertNode {
    const first = this.parseNot();
    const operands = [first];
    while (this.isKeyword(this.peek(), 'and')) {
      this.pos++;
      operands.push(this.parseNot());
    }
    if (operands.length === 1) return first;
    return { kind: 'and', operands, start: first.start, end: operands[operands.length - 1].end };
  }

  private parseNot(): AssertNode {
    const t = this.peek();
    if (++this.depth > MAX_DEPTH) throw new AssertSyntaxError(this.source, t.start, `expression nested deeper than ${MAX_DEPTH} levels`);
    try {
      if (this.isKeyword(t, 'not')) {
        this.pos++;
        const operand = this.parseNot();
        return { kind: 'not', operand, start: t.start, end: operand.end };
      }
      if (t.kind === 'lparen') {
        this.pos++;
        const inner = this.parseOr();
        const close = this.peek();
        if (close.kind !== 'rparen') {
          throw new AssertSyntaxError(this.source, close.start, `expected ")" to close the "(" at column ${t.start + 1}, found ${this.describe(close)}`);
        }
        this.pos++;
        // Keep the parentheses in the span so the clause text reads as written.
        return { ...inner, start: t.start, end: close.end };
      }
      return this.parseComparison();
    } finally {
      this.depth--;
    }
  }

  private parseOperand(): Operand & { start: number; end: number } {
    const t = this.peek();
    if (t.kind === 'number') {
      this.pos++;
      return { kind: 'number', value: Number(t.text), text: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'ident' && !KEYWORDS.has(t.text.toLowerCase())) {
      this.pos++;
      if (!this.keySet.has(t.text)) this.unknownKey(t);
      return { kind: 'stat', key: t.text, start: t.start, end: t.end };
    }
    throw new AssertSyntaxError(this.source, t.start, `expected a statistic or a number, found ${this.describe(t)}`);
  }

  private parseComparison(): AssertNode {
    const left = this.parseOperand();
    const opTok = this.peek();
    if (opTok.kind !== 'op') {
      throw new AssertSyntaxError(this.source, opTok.start, `expected a comparison (< <= > >= == !=) after "${this.source.slice(left.start, left.end)}", found ${this.describe(opTok)}`);
    }
    this.pos++;
    const right = this.parseOperand();
    if (left.kind === 'number' && right.kind === 'number') {
      throw new AssertSyntaxError(this.source, left.start, 'a comparison needs at least one statistic (both sides are numbers)');
    }
    const strip = (o: Operand & { start: number; end: number }): Operand =>
      o.kind === 'stat' ? { kind: 'stat', key: o.key } : { kind: 'number', value: o.value, text: o.text };
    return { kind: 'compare', op: opTok.text as ComparisonOp, left: strip(left), right: strip(right), start: left.start, end: right.end };
  }

  private unknownKey(t: Token): never {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of this.validKeys) {
      const d = editDistance(t.text.toLowerCase(), k.toLowerCase());
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    const suggestion = best !== undefined && bestDistance <= Math.max(2, Math.floor(t.text.length / 3)) ? ` (did you mean "${best}"?)` : '';
    throw new UsageError(
      `--assert: unknown statistic "${t.text}" at column ${t.start + 1}${suggestion}`,
      `valid statistics: ${this.validKeys.join(', ')}`,
    );
  }
}

/**
 * Parse an `--assert` expression against the valid statistic keys (normally `STAT_KEYS`).
 *
 * @throws AssertSyntaxError (a UsageError, exit 2) naming the 1-based column of a syntax error.
 * @throws UsageError (exit 2) for an unknown statistic, listing the valid keys.
 */
export function parseAssertion(source: string, validKeys: readonly string[]): ParsedAssertion {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new UsageError(`--assert: expression is ${source.length} characters long (limit ${MAX_SOURCE_LENGTH})`, 'split the gate into fewer, simpler clauses');
  }
  if (source.trim() === '') {
    throw new UsageError('--assert: the expression is empty', 'write clauses like "sharpe >= 1 and maxDrawdownPct < 20"');
  }
  const tokens = tokenize(source);
  const clauses = new Parser(source, tokens, validKeys).parseTopLevel();
  for (const clause of clauses) refuseVacuous(source, clause);
  return { source, clauses };
}

/**
 * Statistics that are never negative. Drawdowns in particular are positive depths, so a gate copied from tools that
 * report them as negative numbers (`maxDrawdownPct > -20`) would always pass; such comparisons are refused.
 */
const NON_NEGATIVE = new Set([
  'durationDays', 'bars', 'exposurePct', 'finalEquityCash', 'peakEquityCash', 'annualVolatilityPct', 'omega',
  'maxDrawdownPct', 'maxDrawdownDays', 'avgDrawdownPct', 'avgDrawdownDays', 'trades', 'winRatePct', 'winRateLowPct',
  'winRateHighPct', 'avgTradeDays', 'maxTradeDays', 'avgTradeBars', 'profitFactor', 'totalFeesCash',
  'directionalAccuracyPct', 'forecastRmse',
]);

/** Refuse a comparison of a never-negative statistic with a negative number: it is always true or always false. */
function refuseVacuous(source: string, node: AssertNode): void {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const n of node.operands) refuseVacuous(source, n);
    return;
  }
  if (node.kind === 'not') {
    refuseVacuous(source, node.operand);
    return;
  }
  if (node.kind !== 'compare') return;
  const { left, right, op } = node;
  const [stat, num, statOnLeft] =
    left.kind === 'stat' && right.kind === 'number' ? [left, right, true] : right.kind === 'stat' && left.kind === 'number' ? [right, left, false] : [null, null, false];
  if (!stat || !num || !NON_NEGATIVE.has(stat.key) || num.value >= 0 || op === '==' || op === '!=') return;
  const greater = statOnLeft ? op === '>' || op === '>=' : op === '<' || op === '<=';
  const text = source.slice(node.start, node.end);
  throw new UsageError(
    `--assert: "${text}" at column ${node.start + 1} is always ${greater ? 'true' : 'false'}: ${stat.key} is never negative`,
    stat.key.includes('Drawdown') ? `drawdowns are positive depths: write e.g. "${stat.key} < ${-num.value}"` : `compare ${stat.key} with a number >= 0`,
  );
}

/** Three-valued truth: true, false, or unknown (`null`, a null statistic was involved). */
type Truth = boolean | null;

function operandValue(o: Operand, stats: Readonly<Record<string, number | null | undefined>>): number | null {
  if (o.kind === 'number') return o.value;
  const v = stats[o.key];
  return v === undefined || v === null || Number.isNaN(v) ? null : v;
}

function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function evaluateNode(node: AssertNode, stats: Readonly<Record<string, number | null | undefined>>): Truth {
  switch (node.kind) {
    case 'compare': {
      const a = operandValue(node.left, stats);
      const b = operandValue(node.right, stats);
      return a === null || b === null ? null : compare(node.op, a, b);
    }
    case 'not': {
      const v = evaluateNode(node.operand, stats);
      return v === null ? null : !v;
    }
    case 'and': {
      let unknown = false;
      for (const o of node.operands) {
        const v = evaluateNode(o, stats);
        if (v === false) return false;
        if (v === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const o of node.operands) {
        const v = evaluateNode(o, stats);
        if (v === true) return true;
        if (v === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
}

function collectKeys(node: AssertNode, out: string[]): void {
  switch (node.kind) {
    case 'compare':
      for (const o of [node.left, node.right]) if (o.kind === 'stat' && !out.includes(o.key)) out.push(o.key);
      return;
    case 'not':
      collectKeys(node.operand, out);
      return;
    default:
      for (const o of node.operands) collectKeys(o, out);
  }
}

/** Shortest round-trip text of a statistic value for messages (`null` for not meaningful). */
function formatValue(v: number | null): string {
  return v === null ? 'null' : String(v);
}

/** Strip one pair of parentheses that wraps the whole clause, so `(a or b)` reads as `a or b`. */
function clauseText(source: string, node: AssertNode): string {
  const text = source.slice(node.start, node.end).trim();
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1).trim();
}

/** Options of {@link evaluateAssertion}. */
export interface EvaluateOptions {
  /** Why a statistic is null (from the result's `notMeaningful` list), quoted in failure reasons. */
  readonly nullReasons?: Readonly<Record<string, string | undefined>>;
}

function describeNull(key: string, reason: string | undefined): string {
  return `${key} is null (${reason ?? 'not meaningful for this run'})`;
}

/**
 * Evaluate a parsed expression against one run's statistics (keys to values; `null` or a missing key means not
 * meaningful). Returns every top-level clause with its actual values and, when it failed, a reason.
 */
export function evaluateAssertion(
  parsed: ParsedAssertion,
  stats: Readonly<Record<string, number | null | undefined>>,
  options: EvaluateOptions = {},
): AssertionResult {
  const clauses: ClauseResult[] = parsed.clauses.map((node) => {
    const keys: string[] = [];
    collectKeys(node, keys);
    const values: ClauseValue[] = keys.map((key) => ({ key, value: operandValue({ kind: 'stat', key }, stats) }));
    const truth = evaluateNode(node, stats);
    const text = clauseText(parsed.source, node);
    if (truth === true) return { text, passed: true, values };
    const actual = values.map((v) => `${v.key} = ${formatValue(v.value)}`).join(', ');
    const nulls = values.filter((v) => v.value === null).map((v) => v.key);
    const reason =
      truth === null
        ? `${nulls.map((k) => describeNull(k, options.nullReasons?.[k])).join(', ')}; actual ${actual}`
        : `actual ${actual}`;
    return { text, passed: false, values, reason };
  });
  return { source: parsed.source, passed: clauses.every((c) => c.passed), clauses };
}

/**
 * One line per failed clause, for the terminal: `assertion failed: sharpe >= 1 (actual sharpe = 0.83)`.
 * Empty when everything passed.
 */
export function formatAssertionFailures(result: AssertionResult): string[] {
  return result.clauses.filter((c) => !c.passed).map((c) => `assertion failed: ${c.text} (${c.reason ?? 'failed'})`);
}

/**
 * Throw a CheckFailedError (exit 4) when any clause failed; its message lists every failed clause with its actual
 * values, e.g. `1 of 2 assertions failed: sharpe >= 1 (actual sharpe = 0.83)`.
 */
export function throwIfAssertionFailed(result: AssertionResult): void {
  const failed = result.clauses.filter((c) => !c.passed);
  if (failed.length === 0) return;
  const list = failed.map((c) => `${c.text} (${c.reason ?? 'failed'})`).join('; ');
  throw new CheckFailedError(
    `${failed.length} of ${result.clauses.length} assertion${result.clauses.length === 1 ? '' : 's'} failed: ${list}`,
    'the backtest ran; its statistics did not meet the --assert gate (see the report or --json for all figures)',
  );
}

/**
 * Parse `source` against every statistic key of a backtest result ({@link STAT_KEY_LIST}) and evaluate it on
 * `result.stats`, quoting `result.notMeaningful` reasons for null statistics. Throws like {@link parseAssertion}.
 */
export function checkBacktest(source: string, result: Pick<BacktestResult, 'stats' | 'notMeaningful'>): AssertionResult {
  const parsed = parseAssertion(source, STAT_KEY_LIST);
  const nullReasons: Record<string, string> = {};
  for (const n of result.notMeaningful) nullReasons[n.key] = n.reason;
  return evaluateAssertion(parsed, result.stats, { nullReasons });
}
