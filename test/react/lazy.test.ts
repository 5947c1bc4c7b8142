import { describe, expect, it } from "vitest";
import { load } from "../../src/react/lazy";

describe("load (the lazily loaded parts of the client)", () => {
  it("passes a loaded module through", async () => {
    await expect(load(Promise.resolve({ answer: 42 }))).resolves.toEqual({ answer: 42 });
  });

  it("turns a chunk that cannot load (offline, a new deployment) into network_error, not a raw TypeError", async () => {
    const error = await load(Promise.reject(new TypeError("Failed to fetch dynamically imported module: https://app.example/assets/loginFlow-1a2b.js"))).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SmartbillsAuthError", code: "network_error" });
    expect(String((error as Error).message)).not.toContain("app.example");
  });
});
