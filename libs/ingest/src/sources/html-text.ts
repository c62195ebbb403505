/**
 * Plain text of an EDGAR HTML document (8-K, press release), for classifying filings by their words. Not a general
 * HTML parser: it drops what is never visible (head, scripts, styles, comments, the hidden inline-XBRL header),
 * turns block elements into line breaks and table cells into spaces, removes the other tags, decodes character
 * references and tidies the whitespace.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  rsquo: '\u2019',
  lsquo: '\u2018',
  rdquo: '\u201d',
  ldquo: '\u201c',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00b7',
  sect: '\u00a7',
  para: '\u00b6',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  cent: '\u00a2',
  pound: '\u00a3',
  euro: '\u20ac',
  yen: '\u00a5',
  deg: '\u00b0',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  times: '\u00d7',
  divide: '\u00f7',
};

const INVISIBLE = /<(head|script|style|title|ix:header)\b[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const DECLARATION = /<[?!][\s\S]*?>/g;
const BLOCK_BOUNDARY = /<\/?(p|div|br|tr|li|ul|ol|table|h[1-6]|center|blockquote|pre|hr|section|article|header|footer|page)\b[^>]*>/gi;
const CELL = /<\/?(td|th)\b[^>]*>/gi;
const TAG = /<[^>]*>/g;
const REFERENCE = /&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi;

export function htmlToText(html: string): string {
  const text = html
    .replace(COMMENT, ' ')
    .replace(INVISIBLE, ' ')
    .replace(DECLARATION, ' ')
    .replace(BLOCK_BOUNDARY, '\n')
    .replace(CELL, ' ')
    .replace(TAG, '')
    .replace(REFERENCE, decodeReference);
  return text
    .replace(/[\u00a0\u2002\u2003\u2009\t\f\v ]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeReference(reference: string, name: string): string {
  if (name[0] === '#') {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    // Invalid or out-of-range code points are left as written rather than guessed.
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
  }
  return NAMED_ENTITIES[name.toLowerCase()] ?? reference;
}
