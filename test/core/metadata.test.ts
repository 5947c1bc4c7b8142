import { afterEach, describe, expect, it, vi } from "vitest";
import { discoveryUrl, fetchMetadata, MAX_METADATA_BYTES, validateMetadata } from "../../src/core/metadata";
import type { SmartbillsAuthError } from "../../src/core/errors";

const AUTHORITY = "https://api.smartbills.io/auth";
const doc = (over: Record<string, unknown> = {}) => ({
  issuer: AUTHORITY,
  authorization_endpoint: `${AUTHORITY}/connect/authorize`,
  token_endpoint: `${AUTHORITY}/connect/token`,
  revocation_endpoint: `${AUTHORITY}/connect/revocation`,
  end_session_endpoint: `${AUTHORITY}/connect/endsession`,
  token_endpoint_auth_methods_supported: ["client_secret_basic"],
  ...over,
});
const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" }, ...init });

async function refusal(promise: Promise<unknown>): Promise<SmartbillsAuthError> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: SmartbillsAuthError) => error,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("discoveryUrl", () => {
  it("appends the well-known path to an authority with a path", () => {
    expect(discoveryUrl(AUTHORITY)).toBe(`${AUTHORITY}/.well-known/openid-configuration`);
    expect(discoveryUrl("https://api.smartbills.io/")).toBe("https://api.smartbills.io/.well-known/openid-configuration");
  });
});

describe("validateMetadata", () => {
  it("keeps a document naming the authority, one trailing slash ignored", () => {
    expect(validateMetadata(doc({ issuer: `${AUTHORITY}/` }), AUTHORITY).token_endpoint).toBe(`${AUTHORITY}/connect/token`);
  });

  it("allows http endpoints on loopback only", () => {
    const local = "http://127.0.0.1:4000/auth";
    expect(validateMetadata(doc({ issuer: local, token_endpoint: `${local}/connect/token` }), local).issuer).toBe(local);
  });

  it.each([
    ["another issuer", doc({ issuer: "https://evil.example" })],
    ["an issuer that extends ours", doc({ issuer: `${AUTHORITY}/x` })],
    ["no issuer", doc({ issuer: undefined })],
    ["an http token endpoint", doc({ token_endpoint: "http://api.smartbills.io/auth/connect/token" })],
    ["a javascript: endpoint", doc({ end_session_endpoint: "javascript:alert(1)" })],
    ["an endpoint with credentials", doc({ token_endpoint: "https://user:pw@api.smartbills.io/t" })],
    ["a non-string endpoint", doc({ userinfo_endpoint: 42 })],
    ["auth methods that are not a list", doc({ token_endpoint_auth_methods_supported: "client_secret_basic" })],
    ["an array", []],
    ["null", null],
  ])("refuses %s with invalid_metadata", (_, value) => {
    expect(() => validateMetadata(value, AUTHORITY)).toThrow(expect.objectContaining({ code: "invalid_metadata" }));
  });
});

describe("fetchMetadata", () => {
  it("GETs the discovery URL without following redirects and returns the validated document", async () => {
    const fetch = vi.fn(async () => json(doc()));

    const metadata = await fetchMetadata(AUTHORITY, { fetch });

    expect(metadata.end_session_endpoint).toBe(`${AUTHORITY}/connect/endsession`);
    expect(fetch).toHaveBeenCalledWith(`${AUTHORITY}/.well-known/openid-configuration`, expect.objectContaining({ method: "GET", redirect: "manual" }));
  });

  it.each([
    ["a 3xx", () => new Response(null, { status: 302, headers: { location: "https://evil.example/.well-known/openid-configuration" } })],
    ["an opaque redirect (status 0 is not constructible: a 404 stands in)", () => new Response("nope", { status: 404 })],
    ["an HTML page", () => new Response("<html>hi</html>", { status: 200, headers: { "content-type": "text/html" } })],
    ["JSON-typed garbage", () => json("{not json")],
    ["a huge document (declared)", () => json(doc({ pad: "x".repeat(MAX_METADATA_BYTES) }))],
    [
      "a huge document (streamed, no length)",
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(`{"issuer":"${AUTHORITY}","pad":"`));
              for (let i = 0; i < 80; i++) controller.enqueue(new Uint8Array(1024).fill(120));
              controller.close();
            },
          }),
          { status: 200, headers: { "content-type": "application/json" } },
        ),
    ],
    ["a mismatching issuer", () => json(doc({ issuer: "https://evil.example" }))],
  ])("refuses %s with invalid_metadata", async (_, answer) => {
    const error = await refusal(fetchMetadata(AUTHORITY, { fetch: async () => answer() }));

    expect(error.code).toBe("invalid_metadata");
  });

  it("reports a server failure or no answer as network_error (worth retrying)", async () => {
    expect((await refusal(fetchMetadata(AUTHORITY, { fetch: async () => new Response("", { status: 503 }) }))).code).toBe("network_error");
    expect((await refusal(fetchMetadata(AUTHORITY, { fetch: async () => Promise.reject(new TypeError("Failed to fetch")) }))).code).toBe("network_error");
  });

  it("gives up at the timeout even when fetch ignores the abort signal", async () => {
    vi.useFakeTimers();
    const pending = refusal(fetchMetadata(AUTHORITY, { fetch: () => new Promise<Response>(() => {}), timeoutMs: 2_000 }));

    await vi.advanceTimersByTimeAsync(2_000);

    expect((await pending).code).toBe("network_error");
  });

  it("checks the issuer it is told to expect", async () => {
    const issuer = "https://auth.smartbills.io";
    const error = await refusal(fetchMetadata(AUTHORITY, { fetch: async () => json(doc()), expectedIssuer: issuer }));

    expect(error.code).toBe("invalid_metadata");
    expect((await fetchMetadata(AUTHORITY, { fetch: async () => json(doc({ issuer })), expectedIssuer: issuer })).issuer).toBe(issuer);
  });
});
