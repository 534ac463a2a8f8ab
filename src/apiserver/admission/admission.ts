/**
 * The API server's one door for the objects of a run: every object that enters (the
 * scenario's workloads and manifest files, `kubesim explain`'s inputs, and the pods the
 * controllers and users create as the run goes) is defaulted and admitted here, so the
 * scheduler, the kubelet and the metrics all read the same pod.
 *
 *   Pod:           strict decoding, SetDefaults_Pod / _PodSpec / _Container (defaults.ts),
 *                  the mutating admission plugins in kube-apiserver's order: Priority
 *                  (priority.ts), DefaultTolerationSeconds (defaultTolerationSeconds.ts);
 *                  then validation (validation/podSpec.ts). A pod without a name is the
 *                  template of pods whose names a controller generates: validated as a
 *                  pod template (ValidatePodTemplateSpec).
 *   Namespace:     strict decoding, validation, SetDefaults_Namespace (the
 *                  kubernetes.io/metadata.name label).
 *   PriorityClass: strict decoding, validation, SetDefaults_PriorityClass, one globalDefault.
 *   Node:          strict decoding and validation (validateNode), for the objects a run or
 *                  `kubesim explain` registers.
 *
 * Refusals are AdmissionErrors: a path inside the object and either a validation error
 * (`Invalid value: -1: must be in the range 1-100`, validation/) or an admission plugin's
 * refusal (`no PriorityClass with name x was found`).
 *
 * Namespaces: the API server starts with default, kube-system, kube-public and
 * kube-node-lease. Simplification: a namespace that a pod names but no Namespace object
 * creates is created on first use, as if `kubectl create namespace` had run first
 * (upstream's NamespaceLifecycle plugin would refuse the pod) — a `kubectl get pods -A`
 * export holds no Namespace objects.
 *
 * Admission reads nothing that changes during a run, so the pods of one template are
 * admitted once, as their template (see model/podTemplate.ts).
 */
import type { Namespace, Node, Pod, PriorityClass } from "../../model/types.js";
import { AdmissionError } from "./admissionError.js";
import { addDefaultTolerationSeconds } from "./defaultTolerationSeconds.js";
import { setDefaultsNamespace, setDefaultsPod } from "./defaults.js";
import { PriorityClasses } from "./priority.js";
import { invalid, type FieldError } from "./validation/fieldError.js";
import { isDNS1123Label } from "./validation/names.js";
import { validatePodCreate, validatePodTemplateSpec } from "./validation/podSpec.js";
import { decodeAs, validateAs, type ValidateOptions } from "./validation/validateObject.js";

export { AdmissionError } from "./admissionError.js";

/** Validate an object of a kind (apiVersion, strict decoding, validation); throws the first error. */
function mustValidate(kind: string, obj: unknown, options?: ValidateOptions): void {
  const e = validateAs(kind, obj, options);
  if (e) throw AdmissionError.invalid(e);
}

/** The namespaces every cluster starts with (kube-apiserver's system namespaces controller). */
export const INITIAL_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

export class Admission {
  readonly priorityClasses = new PriorityClasses();
  private readonly namespaces = new Map<string, Namespace>();

  constructor() {
    for (const name of INITIAL_NAMESPACES) this.namespaces.set(name, setDefaultsNamespace({ metadata: { name } }));
  }

  /** Create a PriorityClass (validated, defaulted). Throws AdmissionError. */
  createPriorityClass(pc: PriorityClass): void {
    mustValidate("PriorityClass", pc);
    this.priorityClasses.create(pc);
  }

  /** Create a Namespace (validated; one of the initial ones given again takes the labels given). Throws AdmissionError. */
  createNamespace(ns: Namespace): void {
    mustValidate("Namespace", ns);
    const name = ns.metadata?.name ?? "";
    if (this.namespaces.has(name) && !(INITIAL_NAMESPACES as readonly string[]).includes(name)) {
      throw new AdmissionError(["metadata", "name"], `namespaces "${name}" already exists`);
    }
    this.namespaces.set(name, setDefaultsNamespace(ns));
  }

  /**
   * A pod being created (or, without a name, the template of a controller's pods):
   * decoded, defaulted, admitted and validated (a copy). Throws AdmissionError.
   */
  admitPod(pod: Pod): Pod {
    const decodeError = decodeAs("Pod", pod);
    if (decodeError) throw AdmissionError.invalid(decodeError);
    const namespace = pod.metadata?.namespace || "default";
    const withNamespace: Pod = { ...pod, metadata: { ...pod.metadata, namespace } };
    const admitted = addDefaultTolerationSeconds(this.priorityClasses.admitPod(setDefaultsPod(withNamespace)));
    const out: FieldError[] = [];
    if (pod.metadata?.name || pod.metadata?.generateName) validatePodCreate(admitted, out);
    else {
      // A template's pods are created in its namespace: it must be one a Namespace can have.
      for (const msg of isDNS1123Label(namespace)) out.push(invalid(["metadata", "namespace"], namespace, msg));
      validatePodTemplateSpec(admitted, [], out);
    }
    if (out.length > 0) throw AdmissionError.invalid(out[0]);
    this.ensureNamespace(namespace);
    return admitted;
  }

  /** A Node being registered: decoded and validated. Throws AdmissionError. */
  validateNode(node: Node): void {
    mustValidate("Node", node);
  }

  /**
   * A pod that exists already (a bound pod of a `kubectl get pods -o yaml` export): it was
   * admitted when it was created, so it is validated without the create-only rules and
   * defaulted, not admitted again; a priority it lacks comes from its class when that
   * class is known (else 0). Throws AdmissionError.
   */
  storedPod(pod: Pod): Pod {
    mustValidate("Pod", pod, { stored: true });
    const namespace = pod.metadata?.namespace ?? "default";
    this.ensureNamespace(namespace);
    const p = setDefaultsPod({ ...pod, metadata: { ...pod.metadata, namespace } });
    if (p.spec!.priority !== undefined) return p;
    const pc = p.spec!.priorityClassName ? this.priorityClasses.get(p.spec!.priorityClassName) : undefined;
    return { ...p, spec: { ...p.spec!, priority: pc?.value ?? 0 } };
  }

  /** Every namespace, in creation order. */
  namespaceList(): Namespace[] {
    return [...this.namespaces.values()];
  }

  private ensureNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, setDefaultsNamespace({ metadata: { name } }));
  }
}
