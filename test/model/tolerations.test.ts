/**
 * Toleration matching as the taint eviction controller reads it: v1 Toleration.ToleratesTaint
 * (k8s.io/api core/v1/toleration.go), v1helper.GetMatchingTolerations (first matching
 * toleration per taint) and getMinTolerationTime (pkg/controller/tainteviction).
 */
import { describe, expect, it } from "vitest";
import { NOT_TOLERATED, TOLERATED_FOREVER, noExecuteToleration, toleratesTaint } from "../../src/model/tolerations.js";
import type { Toleration } from "../../src/model/types.js";

const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
const dedicated = { key: "dedicated", value: "db", effect: "NoExecute" };
const tol = (key: string, tolerationSeconds?: number, extra: Partial<Toleration> = {}): Toleration => ({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds, ...extra });

describe("toleratesTaint", () => {
  it('reads operator "" as Equal, as upstream\'s switch does', () => {
    expect(toleratesTaint({ key: "dedicated", operator: "", value: "db", effect: "NoExecute" }, dedicated)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", operator: "", value: "web", effect: "NoExecute" }, dedicated)).toBe(false);
    expect(toleratesTaint({ key: "dedicated", value: "db" }, dedicated)).toBe(true);
  });

  it("an empty key with Exists tolerates every taint; an unknown operator none", () => {
    expect(toleratesTaint({ operator: "Exists" }, unreachable)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", operator: "Gt", value: "1" }, dedicated)).toBe(false);
  });
});

describe("noExecuteToleration", () => {
  it("each taint uses its first matching toleration: a later, shorter one does not count", () => {
    expect(noExecuteToleration([tol(unreachable.key, 300), tol(unreachable.key, 60)], [unreachable])).toBe(300);
    expect(noExecuteToleration([tol(unreachable.key, 60), tol(unreachable.key, 300)], [unreachable])).toBe(60);
  });

  it("the minimum over the tolerations used; none with tolerationSeconds is forever", () => {
    expect(noExecuteToleration([tol(unreachable.key, 300), tol("dedicated", 60)], [unreachable, dedicated])).toBe(60);
    expect(noExecuteToleration([tol(unreachable.key), tol("dedicated", 60)], [unreachable, dedicated])).toBe(60);
    expect(noExecuteToleration([tol(unreachable.key), tol("dedicated")], [unreachable, dedicated])).toBe(TOLERATED_FOREVER);
    expect(noExecuteToleration([tol(unreachable.key, -5)], [unreachable])).toBe(0);
  });

  it("a taint not tolerated wins over a tolerationSeconds of 0 on another", () => {
    expect(noExecuteToleration([tol(unreachable.key, 0)], [unreachable, dedicated])).toBe(NOT_TOLERATED);
    expect(noExecuteToleration([], [unreachable])).toBe(NOT_TOLERATED);
  });
});
