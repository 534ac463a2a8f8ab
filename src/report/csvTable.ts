/**
 * The CSV files of a result folder, read back: RFC 4180 (quoted fields may hold commas,
 * quotes doubled, line breaks), "\n" or "\r\n" line ends, a header row. kubesim writes
 * them with csv-stringify (metrics/csv.ts); a reader of its own keeps the report free of
 * a parse dependency. A row whose field count differs from the header's is an error
 * naming the file and the line, so a truncated file is not charted as if it were whole.
 */
import { readFileSync } from "node:fs";
import { ReportInputError } from "./errors.js";

export interface CsvTable {
  /** The name the user sees in messages and in the page (a path or a file name). */
  file: string;
  columns: string[];
  rows: string[][];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export function parseCsv(text: string, file: string): CsvTable {
  // Fields are cut with slice (no per-character string building): a 20 MB pods.csv
  // parses in a fraction of a second without churning the garbage collector.
  const records: { fields: string[]; line: number }[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        let value = "";
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new ReportInputError(`${file}:${recordLine}: expected a closing quote, got the end of the file`);
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        for (let k = value.indexOf("\n"); k >= 0; k = value.indexOf("\n", k + 1)) line++;
        // Text after the closing quote, up to the delimiter, is kept as it stands.
        let j = i;
        while (j < n && text.charCodeAt(j) !== COMMA && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR) j++;
        field = value + text.slice(i, j);
        i = j;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    // End of record: "\r\n", "\n", "\r" or the end of the text.
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    line++;
    // A blank line (one empty field) is not a record.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ fields, line: recordLine });
  }
  if (records.length === 0) throw new ReportInputError(`${file}: expected a CSV header row, got an empty file`);
  const columns = records[0].fields;
  const rows: string[][] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    if (rec.fields.length !== columns.length) throw new ReportInputError(`${file}:${rec.line}: expected ${columns.length} fields as in the header, got ${rec.fields.length}`);
    rows.push(rec.fields);
  }
  return { file, columns, rows };
}

export function readCsv(path: string, file = path): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ReportInputError(`${file}: expected a readable CSV file, got ${(e as NodeJS.ErrnoException).code ?? "an unreadable file"}`);
  }
  return parseCsv(text, file);
}

/** A number cell: empty is null (kubesim writes empty cells for "not applicable"). */
export function numberCell(s: string): number | null {
  if (s === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** True when every non-empty cell of the column is a finite number (and at least one is there). */
export function isNumericColumn(t: CsvTable, col: number): boolean {
  let seen = false;
  for (const r of t.rows) {
    const s = r[col];
    if (s === "") continue;
    if (!Number.isFinite(Number(s)) || s.trim() !== s) return false;
    seen = true;
  }
  return seen;
}

/** The column's index, or an error naming the file and the column expected. */
export function requireColumn(t: CsvTable, name: string): number {
  const i = t.columns.indexOf(name);
  if (i < 0) throw new ReportInputError(`${t.file}: expected a column ${JSON.stringify(name)}, got columns ${t.columns.join(", ")}`);
  return i;
}
