import { afterEach, describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { createClientCredentialsClient, type ClientCredentialsClientOptions } from "../../src/server/createClientCredentialsClient";
import { AUTHORITY, CLIENT_ID, SECRET, TOKEN_URL, createFakeUpstream, expectNoSecret, json, type Responder } from "./helpers";

const API = `${AUTHORITY}/v1/receipts`;

/** Token endpoint answers from `token`, API answers from `api`; counts tokens handed out. */
function arrange(token: Responder = () => json({ access_token: "cc-1", token_type: "Bearer", expires_in: 3600 }), api: Responder = () => json({ ok: true })) {
  let issued = 0;
  const upstream = createFakeUpstream((req) => {
    if (req.url === TOKEN_URL) {
      issued += 1;
      return token(req);
    }
    return api(req);
  });
  const tokenRequests = () => upstream.requests.filter((r) => r.url === TOKEN_URL);
  const apiRequests = () => upstream.requests.filter((r) => r.url !== TOKEN_URL);
  const make = (options: Partial<ClientCredentialsClientOptions> = {}) =>
    createClientCredentialsClient({ clientId: CLIENT_ID, clientSecret: SECRET, authority: AUTHORITY, fetch: upstream.fetch, ...options });
  return { upstream, make, tokenRequests, apiRequests, issued: () => issued };
}

async function rejection(promise: Promise<unknown>): Promise<SmartbillsAuthError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmartbillsAuthError);
  const typed = error as SmartbillsAuthError;
  expectNoSecret(`${String(typed)} ${typed.message} ${typed.description ?? ""} ${JSON.stringify(typed)} ${typed.stack ?? ""}`);
  return typed;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createClientCredentialsClient setup", () => {
  it("refuses to run in a browser, where window and document exist", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    const { make, upstream } = arrange();
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expect((error as SmartbillsAuthError).code).toBe("unsupported_environment");
    expect(String(error)).toContain("browser");
    expectNoSecret(String(error));
    expect(upstream.requests).toHaveLength(0);
  });

  it("runs where only window exists (Deno before 2.0)", async () => {
    vi.stubGlobal("window", {});
    const { make } = arrange();
    await expect(make().getToken()).resolves.toBe("cc-1");
  });

  it.each<[string, Partial<Record<keyof ClientCredentialsClientOptions, unknown>>, string]>([
    ["a missing clientId", { clientId: undefined }, "clientId"],
    ["a missing clientSecret", { clientSecret: "" }, "clientSecret"],
    ["a relative authority", { authority: "auth" }, "authority"],
    ["a non-string scope", { scope: ["openid"] }, "scope"],
    ["a negative timeoutMs", { timeoutMs: -1 }, "timeoutMs"],
    ["a fetch that is not a function", { fetch: {} }, "fetch"],
    ["a relative api origin", { apiOrigins: ["/api"] }, "apiOrigins"],
  ])("throws a TypeError naming the option for %s", (_, override, option) => {
    const { make } = arrange();
    expect(() => make(override as Partial<ClientCredentialsClientOptions>)).toThrow(TypeError);
    expect(() => make(override as Partial<ClientCredentialsClientOptions>)).toThrow(option);
  });
});

describe("createClientCredentialsClient getToken", () => {
  it("posts the client credentials grant with the secret form-encoded in the body, arriving intact", async () => {
    const { make, tokenRequests } = arrange();
    await expect(make({ scope: "receipts:read receipts:write" }).getToken()).resolves.toBe("cc-1");
    const [sent] = tokenRequests();
    expect(sent!.init.method).toBe("POST");
    expect(sent!.init.redirect).toBe("manual");
    expect(sent!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(sent!.headers.get("authorization")).toBeNull();
    expect(String(sent!.init.body)).toContain("client_secret=SECRET-MARKER-7f3a9c1e%3A%25%2B%C3%A9-4b6d");
    expect(Object.fromEntries(sent!.body)).toEqual({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: "receipts:read receipts:write",
    });
  });

  it("sends no scope when none is configured", async () => {
    const { make, tokenRequests } = arrange();
    await make().getToken();
    expect(tokenRequests()[0]!.body.has("scope")).toBe(false);
  });

  it("shares one token request among 10 concurrent callers", async () => {
    const { make, tokenRequests } = arrange();
    const client = make();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getToken()));
    expect(tokens).toEqual(Array(10).fill("cc-1"));
    expect(tokenRequests()).toHaveLength(1);
  });

  it("serves the cached token until 60 s before expiry, then fetches a new one", async () => {
    vi.useFakeTimers();
    let n = 0;
    const { make, tokenRequests } = arrange(() => json({ access_token: `cc-${++n}`, token_type: "bearer", expires_in: 3600 }));
    const client = make();
    expect(await client.getToken()).toBe("cc-1");
    await vi.advanceTimersByTimeAsync(3_539_000);
    expect(await client.getToken()).toBe("cc-1");
    expect(tokenRequests()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await client.getToken()).toBe("cc-2");
    expect(tokenRequests()).toHaveLength(2);
  });

  it("refreshes a short-lived token at half its lifetime", async () => {
    vi.useFakeTimers();
    let n = 0;
    const { make } = arrange(() => json({ access_token: `cc-${++n}`, token_type: "Bearer", expires_in: 100 }));
    const client = make();
    await client.getToken();
    await vi.advanceTimersByTimeAsync(49_000);
    expect(await client.getToken()).toBe("cc-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await client.getToken()).toBe("cc-2");
  });

  it("caches a token without expires_in for 4 minutes", async () => {
    vi.useFakeTimers();
    let n = 0;
    const { make } = arrange(() => json({ access_token: `cc-${++n}`, token_type: "Bearer" }));
    const client = make();
    await client.getToken();
    await vi.advanceTimersByTimeAsync(239_000);
    expect(await client.getToken()).toBe("cc-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await client.getToken()).toBe("cc-2");
  });

  it("keeps one cache per client instance, so another scope gets its own token", async () => {
    const { make, tokenRequests } = arrange();
    await make({ scope: "a" }).getToken();
    await make({ scope: "b" }).getToken();
    expect(tokenRequests().map((r) => r.body.get("scope"))).toEqual(["a", "b"]);
  });

  it("rejects with the server's OAuth code, caches nothing, and retries on the next call", async () => {
    let fail = true;
    const { make, tokenRequests } = arrange(() =>
      fail ? json({ error: "invalid_client", error_description: `bad secret ${SECRET}` }, 401) : json({ access_token: "cc-ok", token_type: "Bearer", expires_in: 60 }),
    );
    const client = make();
    const results = await Promise.allSettled([client.getToken(), client.getToken(), client.getToken()]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    const error = await rejection(Promise.reject((results[0] as PromiseRejectedResult).reason));
    expect(error.code).toBe("invalid_client");
    expect(error.status).toBe(401);
    expect(error.description).toContain("[redacted]");
    expect(tokenRequests()).toHaveLength(1);
    fail = false;
    await expect(client.getToken()).resolves.toBe("cc-ok");
    expect(tokenRequests()).toHaveLength(2);
  });

  it.each<[string, Responder, string]>([
    ["an HTML 500 echoing the request", (req) => new Response(`<pre>${String(req.init.body)}</pre>`, { status: 500 }), "exchange_failed"],
    ["a 307 redirect", () => new Response(null, { status: 307, headers: { Location: "https://evil.example/" } }), "exchange_failed"],
    ["a 200 that is not JSON", () => new Response("ok", { status: 200 }), "invalid_response"],
    ["a 200 without access_token", () => json({ token_type: "Bearer" }), "invalid_response"],
    ["a non-Bearer token", () => json({ access_token: "x", token_type: "mac" }), "invalid_response"],
    ["a negative expires_in", () => json({ access_token: "x", token_type: "Bearer", expires_in: -5 }), "invalid_response"],
    ["a network failure", () => Promise.reject(new TypeError(`connect ECONNREFUSED ${SECRET}`)), "network_error"],
  ])("rejects %s with code %s and no secret", async (_, responder, code) => {
    const { make, tokenRequests } = arrange(responder);
    const error = await rejection(make().getToken());
    expect(error.code).toBe(code);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("rejects with network_error when the token endpoint does not answer within timeoutMs", async () => {
    const { make } = arrange(
      (req) => new Promise<Response>((_, reject) => req.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
    );
    const started = performance.now();
    const error = await rejection(make({ timeoutMs: 50 }).getToken());
    expect(error.code).toBe("network_error");
    expect(error.description).toContain("timed out");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("createClientCredentialsClient fetch", () => {
  it("adds the bearer token and on-behalf-of, keeping the caller's method, headers and body", async () => {
    const { make, apiRequests } = arrange();
    const response = await make().fetch(API, {
      method: "POST",
      headers: { "X-Request-Id": "r-1", "Content-Type": "application/json", Authorization: "Bearer caller" },
      body: JSON.stringify({ total: 1 }),
      onBehalfOf: "acct_1",
    });
    expect(response.status).toBe(200);
    const [sent] = apiRequests();
    expect(sent!.headers.get("authorization")).toBe("Bearer cc-1");
    expect(sent!.headers.get("on-behalf-of")).toBe("acct_1");
    expect(sent!.headers.get("x-request-id")).toBe("r-1");
    expect(sent!.headers.get("content-type")).toBe("application/json");
    expect(sent!.headers.has("onbehalfof")).toBe(false);
  });

  it("keeps the headers of a Request given as input", async () => {
    const { make, apiRequests } = arrange();
    await make().fetch(new Request(API, { headers: { "X-Trace": "t" } }));
    expect(apiRequests()[0]!.headers.get("x-trace")).toBe("t");
    expect(apiRequests()[0]!.headers.get("on-behalf-of")).toBeNull();
  });

  it("drops the token after a 401 and retries once with a new one and the same body", async () => {
    let n = 0;
    const bodies: string[] = [];
    const { make, apiRequests, tokenRequests } = arrange(
      () => json({ access_token: `cc-${++n}`, token_type: "Bearer", expires_in: 3600 }),
      async (req) => {
        bodies.push(req.body.toString());
        return req.headers.get("authorization") === "Bearer cc-1" ? new Response(null, { status: 401 }) : json({ ok: true });
      },
    );
    const response = await make().fetch(API, { method: "POST", body: new URLSearchParams({ a: "1" }) });
    expect(response.status).toBe(200);
    expect(apiRequests().map((r) => r.headers.get("authorization"))).toEqual(["Bearer cc-1", "Bearer cc-2"]);
    expect(bodies).toEqual(["a=1", "a=1"]);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("returns the second 401 instead of retrying again", async () => {
    const { make, apiRequests } = arrange(undefined, () => new Response(null, { status: 401 }));
    const response = await make().fetch(API);
    expect(response.status).toBe(401);
    expect(apiRequests()).toHaveLength(2);
  });

  it("refuses to send the token to an origin other than the authority's or apiOrigins", async () => {
    const { make, upstream } = arrange();
    const error = await rejection(make().fetch("https://evil.example/steal"));
    expect(error.code).toBe("untrusted_origin");
    expect(upstream.requests).toHaveLength(0);
  });

  it("sends the token to an origin listed in apiOrigins", async () => {
    const { make, apiRequests } = arrange();
    await make({ apiOrigins: ["https://files.smartbills.test"] }).fetch("https://files.smartbills.test/x");
    expect(apiRequests()[0]!.headers.get("authorization")).toBe("Bearer cc-1");
  });

  it("rejects an empty onBehalfOf with a TypeError", async () => {
    const { make, upstream } = arrange();
    await expect(make().fetch(API, { onBehalfOf: "" })).rejects.toThrow(TypeError);
    expect(upstream.requests).toHaveLength(0);
  });

  it("rejects with the token error and sends nothing to the API when no token can be had", async () => {
    const { make, apiRequests } = arrange(() => json({ error: "unauthorized_client" }, 400));
    const error = await rejection(make().fetch(API));
    expect(error.code).toBe("unauthorized_client");
    expect(apiRequests()).toHaveLength(0);
  });
});
