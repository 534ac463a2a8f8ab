import { describe, expect, it } from "vitest";
import { CONFLICT, ObjectStore } from "../../src/apiserver/objectStore.js";
import { RequestTable, SLOT_LIMIT, generationOfToken, slotOfToken } from "../../src/apiserver/requestTable.js";

describe("object store (resourceVersion preconditions)", () => {
  it("every committed write takes the next revision; a stale precondition is a conflict that bumps nothing", () => {
    const st = new ObjectStore();
    expect(st.revision).toBe(1);
    // create-if-absent (expected 0), as leader election creates its Lease
    expect(st.commit(5, 0, 1, 100)).toBe(2);
    expect(st.get(5)).toEqual({ revision: 2, a: 1, b: 100 });
    // a second create-if-absent loses
    expect(st.commit(5, 0, 2, 200)).toBe(CONFLICT);
    // two updates read at revision 2: the first wins, the second conflicts
    expect(st.commit(5, 2, 2, 300)).toBe(3);
    expect(st.commit(5, 2, 3, 400)).toBe(CONFLICT);
    expect(st.get(5)).toEqual({ revision: 3, a: 2, b: 300 });
    expect(st.revision).toBe(3);
    // no precondition: always applies; no key: bumps the revision, stores nothing
    expect(st.commit(5, -1, 4, 500)).toBe(4);
    expect(st.commit(-1, -1, 9, 9)).toBe(5);
    expect(st.objects.size).toBe(1);
  });
});

describe("request table", () => {
  it("a freed slot is reused with a new generation, so the old token no longer matches", () => {
    const t = new RequestTable();
    const s = t.alloc();
    const old = t.token(s);
    t.free(s);
    expect(t.alloc()).toBe(s);
    expect(slotOfToken(old)).toBe(s);
    expect(generationOfToken(old)).not.toBe(t.generation[s]);
    expect(generationOfToken(t.token(s))).toBe(t.generation[s]);
  });

  it("grows past its initial capacity and keeps what the earlier slots hold", () => {
    const t = new RequestTable();
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const s = t.alloc();
      expect(s).toBe(i);
      t.key[s] = i * 7;
      t.server[s] = i % 5;
    }
    expect(t.inFlight).toBe(n);
    expect(t.capacity).toBeGreaterThanOrEqual(n);
    for (let i = 0; i < n; i++) expect(t.key[i] === i * 7 && t.server[i] === i % 5).toBe(true);
    // tokens stay exact doubles up to the largest generation
    expect(Number.isSafeInteger(0x3fffffff * SLOT_LIMIT + SLOT_LIMIT - 1)).toBe(true);
  });
});
