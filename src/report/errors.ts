/**
 * Bad input to `kubesim report`: a folder that is not a run or a sweep, a CSV that does
 * not parse, a column that is missing. One line naming the file (and the line or column)
 * and what was expected; the CLI turns it into a UsageError (exit 2).
 */
export class ReportInputError extends Error {
  override readonly name = "ReportInputError";
}
