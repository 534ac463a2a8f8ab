/** The short summary printed on the terminal after a run. */
import { formatCell } from "../metrics/tables.js";
import type { SummaryRow } from "../metrics/summary.js";

export function summaryTable(rows: readonly SummaryRow[]): string {
  const width = Math.max(...rows.map((r) => r.metric.length));
  return rows.map((r) => `  ${r.metric.padEnd(width)}  ${formatCell(r.value, 3)}`).join("\n");
}
