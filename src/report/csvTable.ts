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

export function parseCsv(text: string, file: string): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    // A blank line (one empty field) is not a record: the final "\n" leaves none.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ fields, line: recordLine });
    fields = [];
    recordLine = line;
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      line++;
      endRecord();
    } else field += c;
    i++;
  }
  if (quoted) throw new ReportInputError(`${file}:${recordLine}: expected a closing quote, got the end of the file`);
  if (field !== "" || fields.length > 0) endRecord();
  if (records.length === 0) throw new ReportInputError(`${file}: expected a CSV header row, got an empty file`);
  const columns = records[0].fields;
  const rows: string[][] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== columns.length) throw new ReportInputError(`${file}:${r.line}: expected ${columns.length} fields as in the header, got ${r.fields.length}`);
    rows.push(r.fields);
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
