/**
 * Walks a parsed YAML/JSON value with a field path, so every complaint names the
 * field (`profiles[0].pluginConfig[2].args.hardPodAffinityWeight`). Strict like
 * kube-scheduler's decoder: unknown fields are errors.
 */
import { describe, SchedulerConfigError } from "./configError.js";

export class Reader {
  constructor(
    readonly file: string,
    readonly value: unknown,
    readonly path: string = "",
  ) {}

  fail(expected: string, got: unknown = this.value): never {
    throw new SchedulerConfigError(this.file, this.path, expected, got === NO_GOT ? undefined : describe(got));
  }

  at(key: string | number): Reader {
    const v = this.value as Record<string | number, unknown> | unknown[] | null | undefined;
    const child = v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[key];
    // Keys that are not plain names are quoted, so an empty or odd key still names a field.
    const name = typeof key === "string" && !/^[A-Za-z_$][\w$-]*$/.test(key) ? `[${JSON.stringify(key)}]` : key;
    const path = typeof key === "number" ? `${this.path}[${key}]` : typeof name === "string" && name.startsWith("[") ? `${this.path}${name}` : this.path === "" ? key : `${this.path}.${key}`;
    return new Reader(this.file, child, path);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** A mapping whose keys are all in `allowed`. */
  object(allowed: readonly string[]): this {
    const v = this.value;
    if (v === null || typeof v !== "object" || Array.isArray(v)) this.fail("expected a mapping");
    for (const k of Object.keys(v as object)) {
      if (!allowed.includes(k)) this.at(k).fail(`unknown field (known: ${allowed.join(", ")})`, NO_GOT);
    }
    return this;
  }

  list(): Reader[] {
    if (!Array.isArray(this.value)) this.fail("expected a list");
    return (this.value as unknown[]).map((_, i) => this.at(i));
  }

  optionalList(): Reader[] {
    return this.present ? this.list() : [];
  }

  string(): string {
    if (typeof this.value !== "string" || this.value === "") this.fail("expected a non-empty string");
    return this.value as string;
  }

  optionalString(): string | undefined {
    return this.present ? this.string() : undefined;
  }

  boolean(): boolean {
    if (typeof this.value !== "boolean") this.fail("expected true or false");
    return this.value as boolean;
  }

  int(min: number, max: number, what = `an integer ${min}..${max}`): number {
    const v = this.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) this.fail(`expected ${what}`);
    return v as number;
  }

  optionalInt(min: number, max: number, fallback: number, what?: string): number {
    return this.present ? this.int(min, max, what) : fallback;
  }

  number(min: number, max: number, what = `a number ${min}..${max}`): number {
    const v = this.value;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) this.fail(`expected ${what}`);
    return v as number;
  }

  oneOf<T extends string>(values: readonly T[]): T {
    if (!values.includes(this.value as T)) this.fail(`expected one of ${values.join(", ")}`);
    return this.value as T;
  }
}

/** Marker: the message already says everything, do not append ", got ...". */
export const NO_GOT = Symbol("no-got");
