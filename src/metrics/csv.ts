/** CSV text of a table (csv-stringify; RFC 4180 quoting; "\n" line ends; fixed decimals). */
import { stringify } from "csv-stringify/sync";
import { formatCell, type Table } from "./tables.js";

export function tableCsv(t: Table): string {
  const rows = t.rows.map((r) => r.map((v) => formatCell(v, t.decimals)));
  return stringify([t.columns, ...rows], { record_delimiter: "unix" });
}
