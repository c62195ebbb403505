/**
 * CSV as RFC 4180 writes it: fields separated by commas, a field quoted when it holds a comma, a quote or a line
 * break, quotes inside doubled; records end with LF or CRLF. One reader and one writer for every package (price
 * files, scanner output, recorded datasets).
 */

/** Parses CSV text into records of fields (quoted fields may span lines; a final line break ends no extra record). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      record.push(field);
      field = '';
    } else if (character === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (character !== '\r') field += character;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** The fields of one CSV line (without its line break). */
export function parseCsvLine(line: string): string[] {
  return parseCsv(line)[0] ?? [''];
}

/** One field, quoted when it must be; null is the empty field. */
export function formatCsvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (without a line break). */
export function formatCsvLine(values: readonly (string | number | null)[]): string {
  return values.map(formatCsvField).join(',');
}
