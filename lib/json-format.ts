/**
 * JSON as the knowledge files are written: indented by two, with short objects of plain values and
 * lists of plain values kept on one line, so a record reads (and diffs) line by line.
 */
export function formatJson(value: unknown): string {
  return `${render(value, '')}\n`;
}

const ONE_LINE = 160;
const LIST_ON_ONE_LINE = 400;

function isPlain(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function render(value: unknown, indent: string): string {
  if (isPlain(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (value.every(isPlain) && flat.length + indent.length <= LIST_ON_ONE_LINE) return flat;
    return `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  const flat = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  if (entries.every(([, v]) => isPlain(v)) && flat.length + indent.length <= ONE_LINE) return flat;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
}
