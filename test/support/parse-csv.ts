/** A strict RFC 4180 reader for the tests: quoted cells, doubled quotes, CRLF rows; throws on a stray quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && cell === '') {
      const end = closingQuote(text, i + 1);
      cell = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a quoted cell at ${i}`);
      continue;
    }
    if (char === '"') throw new Error(`stray quote at ${i}`);
    if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
    i += 1;
  }
  if (cell !== '' || row.length > 0) throw new Error('the last row does not end with CRLF');
  return rows;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i += 1;
    else return i;
  }
  throw new Error('unclosed quote');
}
