import { parseCsv, parseCsvTable } from '../../lib/csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF', () => {
    expect(parseCsv('\uFEFFa,"b, c","say ""hi"""\r\n"multi\nline",,x\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['multi\nline', '', 'x'],
    ]);
  });

  it('keeps a last row without a final newline and drops blank lines', () => {
    expect(parseCsv('a,b\n\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});

describe('parseCsvTable', () => {
  it('keys rows by the trimmed, lower-case header and gives the line each row starts on', () => {
    const { header, rows } = parseCsvTable(
      'Office , Reason\n\n"so-1","closed\nfor repairs"\nsc-2, flood \n',
    );
    expect(header).toEqual(['office', 'reason']);
    expect(rows).toEqual([
      { line: 3, values: { office: 'so-1', reason: 'closed\nfor repairs' } },
      { line: 5, values: { office: 'sc-2', reason: 'flood' } },
    ]);
  });

  it('gives missing cells as empty strings and an empty file as no header and no rows', () => {
    expect(parseCsvTable('a,b,c\n1\n').rows).toEqual([
      { line: 2, values: { a: '1', b: '', c: '' } },
    ]);
    expect(parseCsvTable('')).toEqual({ header: [], rows: [] });
  });
});
