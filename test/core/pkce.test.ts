import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createPkcePair } from "../../src/core/pkce";
import { expectAuthError, rejectionOf } from "./authError";

const UNRESERVED_BASE64URL = /^[A-Za-z0-9_-]+$/;

describe("createPkcePair", () => {
  it("makes a different verifier on each call", async () => {
    const first = await createPkcePair();
    const second = await createPkcePair();

    expect(first.codeVerifier).not.toBe(second.codeVerifier);
  });

  it("makes a different challenge on each call", async () => {
    const first = await createPkcePair();
    const second = await createPkcePair();

    expect(first.codeChallenge).not.toBe(second.codeChallenge);
  });

  it("makes a verifier of 43 to 128 characters", async () => {
    const { codeVerifier } = await createPkcePair();

    expect(codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(codeVerifier.length).toBeLessThanOrEqual(128);
  });

  it("makes a verifier in the base64url alphabet", async () => {
    const { codeVerifier } = await createPkcePair();

    expect(codeVerifier).toMatch(UNRESERVED_BASE64URL);
  });

  it("makes the challenge base64url(SHA-256(verifier))", async () => {
    const { codeVerifier, codeChallenge } = await createPkcePair();

    const expected = createHash("sha256").update(codeVerifier, "ascii").digest("base64url");

    expect(codeChallenge).toBe(expected);
  });

  it("uses S256 only", async () => {
    const { codeChallengeMethod, codeVerifier, codeChallenge } = await createPkcePair();

    expect(codeChallengeMethod).toBe("S256");
    expect(codeChallenge).not.toBe(codeVerifier);
  });

  it("rejects with unsupported_environment when crypto.subtle is missing", async () => {
    vi.stubGlobal("crypto", { getRandomValues: (array: Uint8Array) => array });

    expectAuthError(await rejectionOf(createPkcePair()), "unsupported_environment");
  });

  it("rejects with unsupported_environment when crypto is missing", async () => {
    vi.stubGlobal("crypto", undefined);

    expectAuthError(await rejectionOf(createPkcePair()), "unsupported_environment");
  });

  it("rejects with unsupported_environment when pkce-challenge fails", async () => {
    vi.resetModules();
    vi.doMock("pkce-challenge", () => ({ default: () => Promise.reject(new TypeError("no crypto")) }));
    try {
      const { createPkcePair: createWithFailingLibrary } = await import("../../src/core/pkce");

      const error = await rejectionOf(createWithFailingLibrary());

      expect(error).toMatchObject({ name: "SmartbillsAuthError", code: "unsupported_environment" });
    } finally {
      vi.doUnmock("pkce-challenge");
      vi.resetModules();
    }
  });

  it("rejects with unsupported_environment when crypto.subtle has no digest", async () => {
    vi.stubGlobal("crypto", { getRandomValues: (array: Uint8Array) => array, subtle: {} });

    expectAuthError(await rejectionOf(createPkcePair()), "unsupported_environment");
  });
});
