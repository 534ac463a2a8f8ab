/**
 * Cluster-wide interned strings and the compiled form of node and template
 * properties the placeholder placer needs: label pairs, taints, extended resources.
 * (The scheduler compiles its own richer form; see src/scheduler/.)
 */
import { Interner } from "../model/interner.js";
import type { NodeSpec, PodTemplate, TaintSpec } from "./spec.js";

export interface CompiledTemplate {
  ephemeralBytes: number;
  /** [resource id, amount] pairs, flattened. */
  extended: Int32Array | Float64Array;
  /** For each interned taint id: 1 if the template tolerates it. */
  toleratedTaints: Uint8Array;
  /** Interned key=value pair ids the node must have. */
  nodeSelector: Int32Array;
}

export function labelPair(key: string, value: string): string {
  return `${key}=${value}`;
}

export function taintText(t: TaintSpec): string {
  return `${t.key}=${t.value ?? ""}:${t.effect}`;
}

export class ClusterStrings {
  readonly labelPairs = new Interner();
  readonly taints = new Interner();
  readonly zones = new Interner();
  readonly resources = new Interner();
  readonly templates: CompiledTemplate[] = [];
  /** Per node: allocatable and requested amounts of each extended resource (by resource id). */
  private extAlloc: Float64Array[] = [];
  private extReq: Float64Array[] = [];
  /** Per node: interned taint ids with effect NoSchedule or NoExecute (the filtering ones). */
  private hardTaints: Int32Array[] = [];
  /** Per node: its label pairs as a set, for nodeSelector matching. */
  private nodeLabels: Set<number>[] = [];

  /** Intern a node's strings; call in node order. */
  addNode(n: NodeSpec): { labels: number[]; taints: number[]; zone: number } {
    const labels = Object.entries(n.labels).map(([k, v]) => this.labelPairs.id(labelPair(k, v)));
    const taints = n.taints.map((t) => this.taints.id(taintText(t)));
    this.hardTaints.push(Int32Array.from(n.taints.filter((t) => t.effect !== "PreferNoSchedule").map((t) => this.taints.id(taintText(t)))));
    this.nodeLabels.push(new Set(labels));
    const ext = Object.entries(n.extended);
    for (const [r] of ext) this.resources.id(r);
    const alloc = new Float64Array(64);
    for (const [r, v] of ext) alloc[this.resources.id(r)] = v;
    this.extAlloc.push(alloc);
    this.extReq.push(new Float64Array(64));
    return { labels, taints, zone: n.zone === undefined ? -1 : this.zones.id(n.zone) };
  }

  /** Compile a template once nodes are known (taints interned). */
  addTemplate(t: PodTemplate, taintSpecs: TaintSpec[]): void {
    const ext: number[] = [];
    for (const [r, v] of Object.entries(t.extended)) if (v > 0) ext.push(this.resources.id(r), v);
    if (this.resources.size > 64) throw new Error("more than 64 distinct extended resources");
    const tolerated = new Uint8Array(this.taints.size);
    for (const taint of taintSpecs) {
      const id = this.taints.peek(taintText(taint));
      if (id >= 0 && t.tolerations.some((tol) => tolerates(tol, taint))) tolerated[id] = 1;
    }
    const selector = Object.entries(t.nodeSelector).map(([k, v]) => this.labelPairs.peek(labelPair(k, v)));
    this.templates.push({ ephemeralBytes: t.ephemeralBytes, extended: Float64Array.from(ext), toleratedTaints: tolerated, nodeSelector: Int32Array.from(selector) });
  }

  extendedFits(node: number, ext: Int32Array | Float64Array): boolean {
    const alloc = this.extAlloc[node];
    const req = this.extReq[node];
    for (let k = 0; k < ext.length; k += 2) if (req[ext[k]] + ext[k + 1] > alloc[ext[k]]) return false;
    return true;
  }

  /** Add (sign 1) or remove (sign -1) a template's extended requests on a node. */
  accountExtended(node: number, template: number, sign: number): void {
    const ext = this.templates[template].extended;
    const req = this.extReq[node];
    for (let k = 0; k < ext.length; k += 2) req[ext[k]] += sign * ext[k + 1];
  }

  tolerates(node: number, tolerated: Uint8Array): boolean {
    const taints = this.hardTaints[node];
    for (let k = 0; k < taints.length; k++) if (tolerated[taints[k]] !== 1) return false;
    return true;
  }

  selects(node: number, selector: Int32Array): boolean {
    if (selector.length === 0) return true;
    const labels = this.nodeLabels[node];
    for (let k = 0; k < selector.length; k++) if (selector[k] < 0 || !labels.has(selector[k])) return false;
    return true;
  }
}

/** v1 Toleration.ToleratesTaint: empty key with Exists matches all; empty effect matches all effects. */
export function tolerates(tol: { key?: string; operator?: string; value?: string; effect?: string }, taint: TaintSpec): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (tol.operator === "Exists") return true;
  if (tol.operator !== undefined && tol.operator !== "Equal") return false;
  return (tol.value ?? "") === (taint.value ?? "");
}
