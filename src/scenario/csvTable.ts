/**
 * A CSV file as a header and rows of strings (RFC 4180: comma separated, fields in
 * double quotes may hold commas, line breaks and "" for a quote; CRLF or LF; a UTF-8 BOM
 * is skipped; blank lines are skipped). Errors name the file and the row, counting the
 * header as row 1 as a spreadsheet does.
 */
import { ScenarioError } from "./errors.js";

export interface CsvTable {
  header: string[];
  /** Data rows, each with as many fields as the header. */
  rows: string[][];
  /** Row number of each data row as a spreadsheet shows it (the header is row 1). */
  rowNumbers: number[];
}

export function parseCsv(text: string, shown: string): CsvTable {
  const records: { fields: string[]; row: number }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let row = 1;
  const endRecord = () => {
    fields.push(field);
    // a blank line is one empty unquoted field: skip it
    if (!(fields.length === 1 && fields[0] === "" && !fieldStarted)) records.push({ fields, row });
    fields = [];
    field = "";
    fieldStarted = false;
    row++;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === "") {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else field += ch;
  }
  if (quoted) throw new ScenarioError(shown, "", `row ${row}: expected a closing double quote before the end of the file`);
  if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
  if (records.length === 0) throw new ScenarioError(shown, "", "expected a header row of column names, got an empty file");
  const header = records[0].fields.map((h) => h.trim());
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== header.length) {
      throw new ScenarioError(shown, "", `row ${r.row}: expected ${header.length} fields as in the header, got ${r.fields.length}`);
    }
    rows.push(r.fields);
    rowNumbers.push(r.row);
  }
  return { header, rows, rowNumbers };
}
