/**
 * The cluster's interned strings: label keys and values, key=value pairs, namespaces,
 * taints, scalar resource names, images and host IPs. One instance per snapshot; every
 * compiled selector and every node/pod row refers to these ids, so the scheduler's hot
 * loops compare small integers, never strings.
 */
import { Interner } from "../../model/interner.js";

/** Taint effects as small integers (0 = empty, as in a toleration that matches all effects). */
export const TaintEffect = { Any: 0, NoSchedule: 1, PreferNoSchedule: 2, NoExecute: 3 } as const;

export function taintEffectCode(effect: string | undefined): number {
  switch (effect) {
    case "NoSchedule":
      return TaintEffect.NoSchedule;
    case "PreferNoSchedule":
      return TaintEffect.PreferNoSchedule;
    case "NoExecute":
      return TaintEffect.NoExecute;
    default:
      return TaintEffect.Any;
  }
}

/** Go's strconv.ParseInt(s, 10, 64) acceptance (sign + decimal digits); NaN otherwise. */
export function parseGoInt(s: string): number {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : NaN;
}

export class ClusterStrings {
  /** Label keys (node and pod labels share one id space). */
  readonly keys = new Interner();
  /** Label values (all keys share one id space). */
  readonly values = new Interner();
  /** "key=value" pairs; pairKey/pairValue map a pair id back to its parts. */
  readonly pairs = new Interner();
  readonly pairKey: number[] = [];
  readonly pairValue: number[] = [];
  /** A value id's integer reading (Gt/Lt operators), NaN when it is not an integer. */
  readonly valueInt: number[] = [];
  readonly namespaces = new Interner();
  /** Taints interned as "key=value:effect". */
  readonly taints = new Interner();
  readonly taintKey: string[] = [];
  readonly taintValue: string[] = [];
  readonly taintEffect: number[] = [];
  /** Scalar (extended) resource names: everything but cpu, memory, ephemeral-storage, pods. */
  readonly resources = new Interner();
  /** Container image names as the node reports them. */
  readonly images = new Interner();
  /** Host IPs of host ports; id 0 is 0.0.0.0 (all addresses). */
  readonly hostIPs = new Interner();

  constructor() {
    this.hostIPs.id("0.0.0.0");
  }

  key(k: string): number {
    return this.keys.id(k);
  }

  value(v: string): number {
    const before = this.values.size;
    const id = this.values.id(v);
    if (id === before) this.valueInt.push(parseGoInt(v));
    return id;
  }

  pair(k: string, v: string): number {
    const before = this.pairs.size;
    const id = this.pairs.id(`${k}=${v}`);
    if (id === before) {
      this.pairKey.push(this.key(k));
      this.pairValue.push(this.value(v));
    }
    return id;
  }

  taint(key: string, value: string, effect: string): number {
    const before = this.taints.size;
    const id = this.taints.id(`${key}=${value}:${effect}`);
    if (id === before) {
      this.taintKey.push(key);
      this.taintValue.push(value);
      this.taintEffect.push(taintEffectCode(effect));
    }
    return id;
  }

  /** Pod labels as a flat [key, value, key, value, ...] list sorted by key id. */
  labelList(labels: Record<string, string> | undefined): Int32Array {
    const entries = Object.entries(labels ?? {}).map(([k, v]) => [this.key(k), this.value(v)] as const);
    entries.sort((a, b) => a[0] - b[0]);
    const out = new Int32Array(entries.length * 2);
    entries.forEach(([k, v], i) => {
      out[2 * i] = k;
      out[2 * i + 1] = v;
    });
    return out;
  }
}

/** The value id of `key` in a flat sorted label list, or -1. */
export function labelValue(labels: Int32Array, key: number): number {
  for (let i = 0; i < labels.length; i += 2) {
    const k = labels[i];
    if (k === key) return labels[i + 1];
    if (k > key) return -1;
  }
  return -1;
}
