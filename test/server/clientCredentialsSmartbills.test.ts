import { afterEach, describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { createClientCredentialsClient, type ClientCredentialsClientOptions } from "../../src/server/createClientCredentialsClient";
import { AUTHORITY, CLIENT_ID, SECRET, createFakeUpstream, expectNoSecret, json, type Responder } from "./helpers";

const AUTH = `${AUTHORITY}/auth`;
const DISCOVERY = `${AUTH}/.well-known/openid-configuration`;
const API = `${AUTHORITY}/v1/receipts`;
const ok = () => json({ access_token: "cc-1", token_type: "Bearer", expires_in: 3600 });

function arrange(token: Responder = ok, discovery: Responder = () => json({ issuer: AUTH, authorization_endpoint: `${AUTH}/authorize`, token_endpoint: `${AUTH}/token` })) {
  const upstream = createFakeUpstream((req) => (req.url === DISCOVERY ? discovery(req) : req.url.startsWith(`${AUTHORITY}/v1/`) ? json({ ok: true }) : token(req)));
  const of = (predicate: (url: string) => boolean) => () => upstream.requests.filter((r) => predicate(r.url));
  const make = (options: Partial<ClientCredentialsClientOptions> = {}) =>
    createClientCredentialsClient({ clientId: CLIENT_ID, clientSecret: SECRET, authority: AUTHORITY, fetch: upstream.fetch, ...options });
  return { make, discoveries: of((u) => u === DISCOVERY), tokens: of((u) => u !== DISCOVERY && !u.startsWith(`${AUTHORITY}/v1/`)), api: of((u) => u.startsWith(`${AUTHORITY}/v1/`)) };
}

async function rejection(promise: Promise<unknown>): Promise<SmartbillsAuthError> {
  const error = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmartbillsAuthError);
  expectNoSecret(`${String(error)} ${JSON.stringify(error)} ${(error as SmartbillsAuthError).description ?? ""}`);
  return error as SmartbillsAuthError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createClientCredentialsClient: endpoints and client authentication", () => {
  it("keeps the authority's path: /auth/connect/token", async () => {
    const { make, tokens } = arrange();
    await make({ authority: AUTH }).getToken();
    expect(tokens()[0]!.url).toBe(`${AUTH}/connect/token`);
  });

  it("client_secret_basic: id and secret in a form-encoded Basic header, decoding back intact, none in the body", async () => {
    const { make, tokens } = arrange();
    await make({ clientAuthentication: "client_secret_basic", scope: "receipts:read" }).getToken();
    const [sent] = tokens();
    const decoded = atob(sent!.headers.get("authorization")!.replace(/^Basic /, ""));
    expect(decoded).toBe(`${CLIENT_ID}:SECRET-MARKER-7f3a9c1e%3A%25%2B%C3%A9-4b6d`);
    expect(new URLSearchParams(`v=${decoded.slice(decoded.indexOf(":") + 1)}`).get("v")).toBe(SECRET);
    expect(Object.fromEntries(sent!.body)).toEqual({ grant_type: "client_credentials", scope: "receipts:read" });
  });

  it("with discovery, takes the token endpoint (and Basic, when it is the only method) from the metadata, once", async () => {
    const { make, discoveries, tokens } = arrange(ok, () =>
      json({ issuer: AUTH, authorization_endpoint: `${AUTH}/authorize`, token_endpoint: `${AUTH}/oauth/token`, token_endpoint_auth_methods_supported: ["client_secret_basic"] }),
    );
    const client = make({ authority: AUTH, discovery: true });
    expect(discoveries()).toHaveLength(0);
    await client.getToken();
    expect(tokens()[0]!.url).toBe(`${AUTH}/oauth/token`);
    expect(tokens()[0]!.headers.get("authorization")).toMatch(/^Basic /);
    expect(discoveries()).toHaveLength(1);
  });

  it.each<[string, Responder, string]>([
    ["another issuer", () => json({ issuer: "https://evil.example", token_endpoint: "https://evil.example/token", authorization_endpoint: "https://evil.example/a" }), "invalid_metadata"],
    ["a 503", () => new Response("down", { status: 503 }), "network_error"],
    ["a network failure", () => Promise.reject(new TypeError(`fetch failed ${SECRET}`)), "network_error"],
  ])("rejects with a typed %s error when discovery fails, sending no token request", async (_, discovery, code) => {
    const { make, tokens } = arrange(ok, discovery);
    const error = await rejection(make({ authority: AUTH, discovery: true }).getToken());
    expect(error.code).toBe(code);
    expect(tokens()).toHaveLength(0);
  });

  it("may send the token to an explicit token endpoint's origin, as to the authority's", async () => {
    const { make } = arrange();
    const client = make({ endpoints: { token: "https://auth.smartbills.test/token" } });
    await expect(client.fetch("https://auth.smartbills.test/x")).resolves.toBeInstanceOf(Response);
    const error = await rejection(client.fetch("https://evil.example/x"));
    expect(error.code).toBe("untrusted_origin");
  });
});

describe("createClientCredentialsClient: accountHeader", () => {
  it("sends onBehalfOf in the configured header only", async () => {
    const { make, api } = arrange();
    await make({ accountHeader: "x-tenant-id" }).fetch(API, { onBehalfOf: "biz_1" });
    expect(api()[0]!.headers.get("x-tenant-id")).toBe("biz_1");
    expect(api()[0]!.headers.get("on-behalf-of")).toBeNull();
  });

  it("defaults to on-behalf-of", async () => {
    const { make, api } = arrange();
    await make().fetch(API, { onBehalfOf: "acct_1" });
    expect(api()[0]!.headers.get("on-behalf-of")).toBe("acct_1");
    expect(api()[0]!.headers.get("x-tenant-id")).toBeNull();
  });

  it.each(["", "x tenant", "x-tenant\r\nevil: 1", "Authorization"])("refuses accountHeader %j at startup", (accountHeader) => {
    const { make } = arrange();
    expect(() => make({ accountHeader })).toThrow(/accountHeader/);
  });
});

describe("createClientCredentialsClient: Retry-After", () => {
  it.each([
    [429, { "Retry-After": "30" }, 30_000],
    [503, { "Retry-After": "30" }, 30_000],
  ] as const)("after a %s with Retry-After, sends no token request before it, rejecting callers with that status", async (status, headers, waitMs) => {
    vi.useFakeTimers();
    let busy = true;
    const { make, tokens } = arrange(() => (busy ? json({ error: "temporarily_unavailable" }, status, headers) : ok()));
    const client = make();
    const first = await rejection(client.getToken());
    expect(first.status).toBe(status);
    busy = false;
    await vi.advanceTimersByTimeAsync(waitMs - 1_000);
    const waiting = await rejection(client.getToken());
    expect(waiting.code).toBe("temporarily_unavailable");
    expect(waiting.status).toBe(status);
    expect(tokens()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(client.getToken()).resolves.toBe("cc-1");
    expect(tokens()).toHaveLength(2);
  });

  it("honours an HTTP-date Retry-After, and caps a year at one hour", async () => {
    vi.useFakeTimers();
    let answer = () => json({ error: "slow_down" }, 429, { "Retry-After": new Date(Date.now() + 120_000).toUTCString() });
    const { make, tokens } = arrange(() => answer());
    const client = make();
    await rejection(client.getToken());
    await vi.advanceTimersByTimeAsync(119_000);
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(1);
    answer = () => json({ error: "slow_down" }, 429, { "Retry-After": String(365 * 24 * 3600) });
    await vi.advanceTimersByTimeAsync(1_000);
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3_600_000 - 1_000);
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(3);
  });

  it.each(["-1", "soon", ""])("retries at once after a 429 whose Retry-After is %j", async (value) => {
    const { make, tokens } = arrange(() => json({ error: "slow_down" }, 429, { "Retry-After": value }));
    const client = make();
    await rejection(client.getToken());
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(2);
  });

  it("keeps serving a cached token while paused", async () => {
    vi.useFakeTimers();
    let n = 0;
    const { make, tokens } = arrange(() => (++n === 1 ? json({ access_token: "cc-1", token_type: "Bearer", expires_in: 100 }) : json({ error: "slow_down" }, 429, { "Retry-After": "600" })));
    const client = make();
    await client.getToken();
    await vi.advanceTimersByTimeAsync(50_000);
    await rejection(client.getToken());
    expect(tokens()).toHaveLength(2);
  });

  it("never has more than one token request in flight", async () => {
    const pending: Array<(response: Response) => void> = [];
    const { make, tokens } = arrange(() => new Promise<Response>((resolve) => pending.push(resolve)));
    const client = make();
    const batch = Array.from({ length: 20 }, () => client.getToken());
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    expect(tokens()).toHaveLength(1);
    pending[0]!(json({ error: "temporarily_unavailable" }, 503));
    expect((await Promise.allSettled(batch)).every((r) => r.status === "rejected")).toBe(true);
    const second = Array.from({ length: 20 }, () => client.getToken());
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    expect(tokens()).toHaveLength(2);
    pending[1]!(ok());
    expect(await Promise.all(second)).toEqual(Array(20).fill("cc-1"));
  });
});
