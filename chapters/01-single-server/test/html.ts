/**
 * Reading a page as a browser does: character references decoded, whichever form the page chose —
 * `&lt;`, `&#60;`, `&#060;`, `&#x3C;` and `&#X3c;` are all the same `<`. Tests compare the text a person
 * sees, so any correct escaping passes.
 */

const NAMED: Record<string, string> = {
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  amp: '&',
  AMP: '&',
  quot: '"',
  QUOT: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** The text with every numeric character reference and the usual named ones decoded. */
export function decodeEntities(html: string): string {
  return html.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const code = Number.parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

/** The decoded text of a page without its tags: roughly what a browser shows. */
export function visibleText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '));
}
