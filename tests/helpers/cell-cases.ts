/** The table of CSV cell texts that the parser must read as missing, as numbers, or refuse; shared by the API and CLI tests. */

/** pandas' STR_NA_VALUES (pandas/_libs/parsers.pyx), sorted: the list the default must equal exactly. */
export const PANDAS_NA_VALUES = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
];

/** Every token, plus whitespace-only cells and tokens with surrounding spaces (matched after trimming). */
export const MISSING_CELLS = [...PANDAS_NA_VALUES, ' ', '   ', '\t', ' NA ', '\tnull '];

/** Cells that are numbers, with the value each must read as. */
export const NUMBER_CELLS: Array<[string, number]> = [
  [' 12.5 ', 12.5],
  ['\t2\t', 2],
  ['1e3', 1000],
  ['-0.5', -0.5],
  ['+2', 2],
  ['.5', 0.5],
  ['5.', 5],
  ['007', 7],
  ['0', 0],
  ['-0', -0],
  ['1.5E-3', 0.0015],
];

/** Cells that must be refused, with the message each must produce. */
export const REFUSED_CELLS: Array<[string, RegExp]> = [
  ['0x1F', /expected a decimal number, received the hexadecimal literal "0x1F"/],
  ['0X1f', /hexadecimal literal "0X1f"/],
  [' 0x10 ', /hexadecimal literal "0x10"/],
  ['0o17', /octal literal "0o17"/],
  ['0b101', /binary literal "0b101"/],
  ['Infinity', /expected a finite number, received "Infinity" \(a Series holds finite values\)/],
  ['-Infinity', /received "-Infinity" \(a Series holds finite values\)/],
  ['+Infinity', /received "\+Infinity" \(a Series holds finite values\)/],
  ['inf', /received "inf" \(a Series holds finite values\)/],
  ['-inf', /received "-inf" \(a Series holds finite values\)/],
  ['INF', /received "INF" \(a Series holds finite values\)/],
  ['1.#INF', /received "1.#INF" \(a Series holds finite values\)/],
  ['1e999', /received "1e999", which is beyond the range of a 64-bit float/],
  ['abc', /expected a number, received "abc"/],
  ['-', /expected a number, received "-"/],
  ['1,5', /expected a number, received "1,5"/],
  ['12abc', /expected a number, received "12abc"/],
  ['$12', /expected a number, received "\$12"/],
  ['1_000', /expected a number, received "1_000"/],
  ['--5', /expected a number, received "--5"/],
];

/** A three-row file whose second data row holds `cell` in the close column (quoted, so spaces and commas survive). */
export const withCell = (cell: string): string =>
  `date,close,volume\n2021-01-01,1,10\n2021-01-02,"${cell}",11\n2021-01-03,3,12\n`;
