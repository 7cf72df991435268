/**
 * A YAML rendering of a JSON-shaped result (`pulse optimize show -f yaml`): block mappings and sequences, scalars
 * quoted as JSON strings whenever plain YAML could read them as something else. Non-finite numbers are `.nan`,
 * `.inf` and `-.inf`, as YAML 1.2 spells them.
 */

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ .\/-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) && s.trim() === s ? s : JSON.stringify(s);
}

function isBlock(v: unknown): v is object {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function empty(v: unknown): string {
  return Array.isArray(v) ? '[]' : '{}';
}

function lines(v: unknown, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (!isBlock(item)) return [`${indent}- ${typeof item === 'object' && item !== null ? empty(item) : scalar(item)}`];
      const inner = lines(item, `${indent}  `);
      return [`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1)];
    });
  }
  return Object.entries(v as Record<string, unknown>).flatMap(([k, item]) => {
    const key = scalar(k);
    if (isBlock(item)) return [`${indent}${key}:`, ...lines(item, `${indent}  `)];
    return [`${indent}${key}: ${typeof item === 'object' && item !== null ? empty(item) : scalar(item)}`];
  });
}

/** `value` as a YAML document (no leading `---`), ending with a newline. */
export function toYaml(value: unknown): string {
  if (!isBlock(value)) return `${scalar(value)}\n`;
  return `${lines(value, '').join('\n')}\n`;
}
