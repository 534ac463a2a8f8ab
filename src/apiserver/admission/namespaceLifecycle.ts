/**
 * The NamespaceLifecycle admission plugin (k8s.io/apiserver
 * pkg/admission/plugin/namespace/lifecycle/admission.go) and the namespaces' phase as
 * the API server holds it:
 *
 *   Active --DELETE namespace: deletionTimestamp, phase Terminating--> Terminating
 *          --the namespace controller finds nothing left and removes its finalizer--> gone
 *
 * - default, kube-system and kube-public may not be deleted (the plugin's immortal
 *   namespaces: 403 "this namespace may not be deleted"); the scenario loader refuses
 *   such an action.
 * - A create in a Terminating namespace is refused with 403 Forbidden, cause
 *   NamespaceTerminating ("unable to create new content in namespace X because it is
 *   being terminated"); in a namespace that is gone, with 404 (namespaces "X" not found).
 *   Deletes and updates are always allowed.
 * - The API servers decide from the namespace as it is stored now. Simplification: no
 *   informer lag (upstream an API server's namespace cache may lag; the namespace
 *   controller waits namespaceDeletionGracePeriod, 5 s, before deleting content for that
 *   reason), no 50 ms missingNamespaceWait.
 *
 * Namespaces are interned to small ids, so an API request carries a number.
 */
import { Interner } from "../../model/interner.js";
import { Status } from "../verbs.js";

/** lifecycle/admission.go Register: NewLifecycle(sets.NewString(NamespaceDefault, NamespaceSystem, NamespacePublic)). */
export const IMMORTAL_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public"];
/** The plugin's refusal of DELETE on an immortal namespace: namespaces "<name>" is forbidden: ... */
export const IMMORTAL_NAMESPACE_MESSAGE = "this namespace may not be deleted";

/** The 403 a create in a Terminating namespace gets (admission.NewForbidden: `<resource> "<name>" is forbidden: ...`). */
export function namespaceTerminatingMessage(resource: string, name: string, namespace: string): string {
  return `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`;
}

export const enum NamespacePhase {
  Active = 0,
  Terminating = 1,
  /** Finalized and deleted. */
  Gone = 2,
}

export class NamespaceLifecycle {
  private readonly ids = new Interner();
  private readonly phase: NamespacePhase[] = [];
  /** Per namespace id: creates refused while Terminating (403) and after it was gone (404). */
  private readonly refusedTerminating: number[] = [];
  private readonly refusedGone: number[] = [];

  /** The id of a namespace (any name: a namespace never seen is Active, as kubesim creates namespaces on first use). */
  id(name: string): number {
    const id = this.ids.id(name);
    while (this.phase.length <= id) {
      this.phase.push(NamespacePhase.Active);
      this.refusedTerminating.push(0);
      this.refusedGone.push(0);
    }
    return id;
  }

  name(id: number): string {
    return this.ids.name(id);
  }

  phaseOf(name: string): NamespacePhase {
    return this.phase[this.id(name)];
  }

  /** DELETE namespace: deletionTimestamp set, phase Terminating. */
  terminate(name: string): void {
    const id = this.id(name);
    if (this.phase[id] === NamespacePhase.Active) this.phase[id] = NamespacePhase.Terminating;
  }

  /** The namespace controller removed the last finalizer: the Namespace object is gone. */
  remove(name: string): void {
    this.phase[this.id(name)] = NamespacePhase.Gone;
  }

  /**
   * Admission of a create in namespace `id`: 0 when admitted, else the HTTP status of the
   * refusal (403 Terminating, 404 gone), counted.
   */
  admitCreate(id: number): number {
    const p = this.phase[id];
    if (p === NamespacePhase.Active) return 0;
    if (p === NamespacePhase.Terminating) {
      this.refusedTerminating[id]++;
      return Status.Forbidden;
    }
    this.refusedGone[id]++;
    return Status.NotFound;
  }

  /** Creates refused in the namespace: while it was Terminating, and after it was gone. */
  refused(name: string): { terminating: number; gone: number } {
    const id = this.id(name);
    return { terminating: this.refusedTerminating[id], gone: this.refusedGone[id] };
  }

  /** Creates refused in every namespace. */
  get refusedTotal(): number {
    let n = 0;
    for (let i = 0; i < this.phase.length; i++) n += this.refusedTerminating[i] + this.refusedGone[i];
    return n;
  }
}
