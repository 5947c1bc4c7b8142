import { describe, expect, it, vi } from "vitest";
import { createPkcePair } from "../../src/core/pkce";
import { createState } from "../../src/core/random";
import { expectAuthError, thrownBy } from "./authError";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** createState's encoding of `bytes` (the first 32 are used). */
function stateOf(bytes: number[]): string {
  vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation((array) => {
    (array as Uint8Array).set(bytes.slice(0, 32));
    return array;
  });
  return createState();
}

describe("createState's base64url encoding", () => {
  it("uses the URL-safe alphabet without padding", () => {
    const bytes = [0xfb, 0xff, 0xbf, ...Array<number>(29).fill(0)];

    expect(stateOf(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
    expect(stateOf(bytes).startsWith("-_-_")).toBe(true);
    expect(stateOf(bytes)).not.toContain("=");
  });

  it.each([0, 32, 64, 96, 128, 160, 192, 224])("matches node's base64url encoding for bytes %i to %i + 31", (start) => {
    const bytes = Array.from({ length: 32 }, (_, i) => start + i);

    expect(stateOf(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
  });
});

describe("createState", () => {
  it("is at least 43 characters long (32 random bytes)", () => {
    expect(createState().length).toBeGreaterThanOrEqual(43);
  });

  it("uses the base64url alphabet", () => {
    expect(createState()).toMatch(BASE64URL);
  });

  it("is unique over 1000 calls", () => {
    const states = new Set(Array.from({ length: 1000 }, () => createState()));

    expect(states.size).toBe(1000);
  });

  it("draws 32 bytes from crypto.getRandomValues", () => {
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues");

    createState();

    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls[0]?.[0] as Uint8Array).length).toBe(32);
  });

  it("is independent of the PKCE verifier", async () => {
    const state = createState();
    const { codeVerifier, codeChallenge } = await createPkcePair();

    expect(codeVerifier).not.toContain(state);
    expect(state).not.toContain(codeVerifier.slice(0, 16));
    expect(state).not.toBe(codeChallenge);
  });

  it("throws unsupported_environment without crypto", () => {
    vi.stubGlobal("crypto", undefined);

    expectAuthError(thrownBy(createState), "unsupported_environment");
  });

  it("throws unsupported_environment without crypto.getRandomValues", () => {
    vi.stubGlobal("crypto", {});

    expectAuthError(thrownBy(createState), "unsupported_environment");
  });
});
