export interface CsvRecord {
  /** The line the record starts on (1-based), to name it in error messages. */
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line ends;
 * a leading byte-order mark is dropped, and so are blank lines. Cells are raw strings.
 */
export function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      end();
      line++;
      start = line;
    } else cell += ch;
  }
  end();
  return records;
}

/** The rows of a CSV file as arrays of raw strings. */
export function parseCsv(text: string): string[][] {
  return csvRecords(text).map((r) => r.cells);
}

/**
 * A CSV file with a header row: each later row as an object keyed by the header's names (trimmed,
 * lower case), values trimmed, with the line it starts on.
 */
export function parseCsvTable(text: string): {
  header: string[];
  rows: { line: number; values: Record<string, string> }[];
} {
  const [head, ...body] = csvRecords(text);
  const header = (head?.cells ?? []).map((h) => h.trim().toLowerCase());
  return {
    header,
    rows: body.map((r) => ({
      line: r.line,
      values: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? '').trim()])),
    })),
  };
}
