import { describe, expect, it, vi } from "vitest";
import { withBrowserLock } from "../../src/core/browserLock";

describe("withBrowserLock", () => {
  it("runs one holder at a time when the Web Locks API exists", async () => {
    let tail = Promise.resolve();
    vi.stubGlobal("navigator", {
      locks: {
        request: (_name: string, fn: () => Promise<unknown>) => {
          const run = tail.then(fn);
          tail = run.then(() => undefined, () => undefined);
          return run;
        },
      },
    });
    const order: string[] = [];
    const job = (name: string) => withBrowserLock("l", async () => {
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 10));
      order.push(`end ${name}`);
    });
    await Promise.all([job("a"), job("b")]);
    expect(order).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("runs at once where the API is missing", async () => {
    vi.stubGlobal("navigator", {});
    await expect(withBrowserLock("l", async () => 42)).resolves.toBe(42);
  });
});
