/**
 * An object the API server refuses: the path of the field inside the object and why,
 * either a validation error (upstream's `field.Error` body: `Invalid value: -1: must be in
 * the range 1-100`) or an admission plugin's refusal (`no PriorityClass with name x was
 * found`). Callers put the file and the object's place in it in front of the path.
 */
import { errorBody, upstreamPath, type FieldError, type Path } from "./validation/fieldError.js";

export class AdmissionError extends Error {
  constructor(
    /** Path inside the object, e.g. ["spec", "priorityClassName"]. */
    readonly path: Path,
    message: string,
    /** "invalid": a validation or decoding error; "forbidden": an admission plugin refused the object. */
    readonly kind: "invalid" | "forbidden" = "forbidden",
  ) {
    super(message);
  }

  static invalid(e: FieldError): AdmissionError {
    return new AdmissionError(e.path, errorBody(e), "invalid");
  }

  /** The path as upstream prints it ("spec.containers[0].name"). */
  get field(): string {
    return upstreamPath(this.path);
  }

  /** What follows the path in a one-line error. */
  describe(): string {
    return this.kind === "invalid" ? this.message : `rejected by the API server: ${this.message}`;
  }
}
