/**
 * v1 NodeSelector / NodeSelectorTerm compiled against interned node labels
 * (component-helpers nodeaffinity semantics): terms are ORed; within a term the
 * matchExpressions and matchFields are ANDed; an empty term, or one with a
 * requirement that fails to parse, matches nothing. matchFields supports only
 * metadata.name with In/NotIn.
 *
 * Matching reads the snapshot's per-key label columns (value id per node, -1 when
 * absent); `resolveTerm` fetches the columns once per batch so the per-node test
 * is a few typed-array reads.
 */
import type { NodeSelectorTerm } from "../../model/types.js";
import type { NodeSelector } from "kubernetes-types/core/v1.d.ts";
import type { Snapshot } from "../snapshot.js";
import { compileRequirement, InvalidRequirement, Op, requirementMatches, type Requirement } from "./requirement.js";
import type { ClusterStrings } from "./strings.js";

export interface NameField {
  /** Op.In or Op.NotIn. */
  op: number;
  names: readonly string[];
}

export interface CompiledNodeSelectorTerm {
  /** Empty or invalid: matches no node. */
  readonly never: boolean;
  readonly reqs: readonly Requirement[];
  readonly fields: readonly NameField[];
  /** Scratch: the label column of reqs[i], refreshed by resolveTerm before a batch. */
  readonly cols: Int32Array[];
}

const NEVER: CompiledNodeSelectorTerm = { never: true, reqs: [], fields: [], cols: [] };

export function compileNodeSelectorTerm(term: NodeSelectorTerm, strings: ClusterStrings): CompiledNodeSelectorTerm {
  const exprs = term.matchExpressions ?? [];
  const fieldExprs = term.matchFields ?? [];
  if (exprs.length === 0 && fieldExprs.length === 0) return NEVER;
  try {
    const reqs = exprs.map((e) => compileRequirement(strings, e.key, e.operator, e.values));
    const fields: NameField[] = [];
    for (const f of fieldExprs) {
      // Upstream accepts only metadata.name with In/NotIn and exactly one value.
      if (f.key !== "metadata.name") throw new InvalidRequirement(`unsupported field ${f.key}`);
      if ((f.operator !== "In" && f.operator !== "NotIn") || (f.values ?? []).length !== 1) throw new InvalidRequirement(`bad field selector`);
      fields.push({ op: f.operator === "In" ? Op.In : Op.NotIn, names: f.values ?? [] });
    }
    return { never: false, reqs, fields, cols: reqs.map(() => new Int32Array(0)) };
  } catch (e) {
    if (e instanceof InvalidRequirement) return NEVER;
    throw e;
  }
}

/** A NodeSelector (ORed terms); null for a nil selector (no constraint). */
export function compileNodeSelector(sel: NodeSelector | undefined, strings: ClusterStrings): CompiledNodeSelectorTerm[] | null {
  if (!sel) return null;
  return (sel.nodeSelectorTerms ?? []).map((t) => compileNodeSelectorTerm(t, strings));
}

/** spec.nodeSelector as one term of In requirements (a "" value requires an empty label). */
export function compileNodeSelectorMap(map: Record<string, string> | undefined, strings: ClusterStrings): CompiledNodeSelectorTerm | null {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return null;
  const reqs: Requirement[] = entries.map(([k, v]) => ({ key: strings.key(k), op: Op.In, values: Int32Array.of(strings.value(v)), num: 0 }));
  return { never: false, reqs, fields: [], cols: reqs.map(() => new Int32Array(0)) };
}

/** Fetch the label columns of a term's requirements (once per batch). */
export function resolveTerm(term: CompiledNodeSelectorTerm, snapshot: Snapshot): void {
  for (let i = 0; i < term.reqs.length; i++) term.cols[i] = snapshot.labelColumn(term.reqs[i].key);
}

/** Does `node` match a resolved term? */
export function termMatches(term: CompiledNodeSelectorTerm, snapshot: Snapshot, node: number): boolean {
  if (term.never) return false;
  const reqs = term.reqs;
  const valueInt = snapshot.strings.valueInt;
  for (let i = 0; i < reqs.length; i++) {
    if (!requirementMatches(reqs[i], term.cols[i][node], valueInt)) return false;
  }
  const fields = term.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const has = f.names.includes(snapshot.nodes.names[node]);
    if (f.op === Op.In ? !has : has) return false;
  }
  return true;
}

/** Resolve every term of an ORed list. */
export function resolveTerms(terms: readonly CompiledNodeSelectorTerm[], snapshot: Snapshot): void {
  for (let i = 0; i < terms.length; i++) resolveTerm(terms[i], snapshot);
}

/** ORed terms; an empty list matches nothing (as upstream: no term can match). */
export function anyTermMatches(terms: readonly CompiledNodeSelectorTerm[], snapshot: Snapshot, node: number): boolean {
  for (let i = 0; i < terms.length; i++) if (termMatches(terms[i], snapshot, node)) return true;
  return false;
}
