import { afterEach, describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { exchangeCode, isTransientError, refreshTokenSet, type ExchangeTransport } from "../../src/core/exchange";
import { createTokenSet, type TokenSet } from "../../src/core/tokenSet";
import { expectAuthError, rejectionOf } from "./authError";

const NOW = Date.UTC(2025, 0, 1);
const ENDPOINT = "https://app.example/api/smartbills/token";
const CODE = "SECRET-CODE-0123456789";
const VERIFIER = "SECRET-VERIFIER-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
const REDIRECT_URI = "https://app.example/callback";
const OLD_ACCESS = "OLD-ACCESS-TOKEN-0123456789";
const OLD_REFRESH = "OLD-REFRESH-TOKEN-0123456789";
const NEW_ACCESS = "NEW-ACCESS-TOKEN-0123456789";
const NEW_REFRESH = "NEW-REFRESH-TOKEN-0123456789";
const SECRETS = [CODE, VERIFIER, OLD_ACCESS, OLD_REFRESH, NEW_ACCESS, NEW_REFRESH];

interface Call {
  url: string;
  init: RequestInit;
  body: URLSearchParams;
}

/** A fetch that records its calls and answers with `answer`. */
function fakeFetch(answer: (init: RequestInit) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {}, body: new URLSearchParams(String(init?.body ?? "")) });
    return answer(init ?? {});
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, spy: fetch };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function tokenAnswer(overrides: Record<string, unknown> = {}): Response {
  return json({ access_token: NEW_ACCESS, token_type: "Bearer", expires_in: 3600, refresh_token: NEW_REFRESH, ...overrides });
}

function transport(fetch: typeof globalThis.fetch, extra: Partial<ExchangeTransport> = {}): ExchangeTransport {
  return { endpoint: ENDPOINT, clientId: "client-1", fetch, now: () => NOW, ...extra };
}

const previous: TokenSet = createTokenSet({ accessToken: OLD_ACCESS, tokenType: "Bearer", expiresAt: NOW, issuedAt: NOW - 3_600_000, refreshToken: OLD_REFRESH, scope: "openid" });

const exchange = (fetch: typeof globalThis.fetch, extra: Partial<ExchangeTransport> = {}) =>
  exchangeCode(transport(fetch, extra), { code: CODE, redirectUri: REDIRECT_URI, codeVerifier: VERIFIER });

/** Asserts that no form of `error` names any secret. */
function expectNoSecrets(error: unknown): void {
  const forms = [(error as Error).message, String(error), JSON.stringify(error), (error as SmartbillsAuthError).description ?? ""];
  for (const form of forms) for (const secret of SECRETS) expect(form).not.toContain(secret);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("exchangeCode request", () => {
  it("posts exactly grant_type, code, redirect_uri, code_verifier and client_id", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);

    expect([...calls[0]!.body.entries()]).toEqual([
      ["grant_type", "authorization_code"],
      ["code", CODE],
      ["redirect_uri", REDIRECT_URI],
      ["code_verifier", VERIFIER],
      ["client_id", "client-1"],
    ]);
  });

  it("posts once to the endpoint", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(ENDPOINT);
    expect(calls[0]!.init.method).toBe("POST");
  });

  it("sends a form-encoded body", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);

    expect(new Headers(calls[0]!.init.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(typeof calls[0]!.init.body).toBe("string");
  });

  it("sends no Referer, follows no redirect and skips the cache", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);

    expect(calls[0]!.init).toMatchObject({ referrerPolicy: "no-referrer", redirect: "error", cache: "no-store" });
  });

  it("never puts the code or verifier in the request URL", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);

    expect(calls[0]!.url).not.toContain(CODE);
    expect(calls[0]!.url).not.toContain(VERIFIER);
  });

  it("uses same-origin credentials by default and the given ones otherwise", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await exchange(fetch);
    await exchange(fetch, { credentials: "include", headers: { "X-Requested-With": "smartbills" } });

    expect(calls[0]!.init.credentials).toBe("same-origin");
    expect(calls[1]!.init.credentials).toBe("include");
    expect(new Headers(calls[1]!.init.headers).get("x-requested-with")).toBe("smartbills");
  });

  it("resolves to the token set of the answer", async () => {
    const { fetch } = fakeFetch(() => tokenAnswer());

    const tokenSet = await exchange(fetch);

    expect(tokenSet).toMatchObject({ accessToken: NEW_ACCESS, refreshToken: NEW_REFRESH, expiresAt: NOW + 3_600_000 });
  });
});

describe("refreshTokenSet request", () => {
  it("posts exactly grant_type=refresh_token, refresh_token and client_id", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await refreshTokenSet(transport(fetch), previous);

    expect(Object.fromEntries(calls[0]!.body)).toEqual({ grant_type: "refresh_token", refresh_token: OLD_REFRESH, client_id: "client-1" });
    expect([...calls[0]!.body.keys()]).toHaveLength(3);
  });

  it("posts no refresh_token when it has none (the backend's cookie holds it)", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await refreshTokenSet(transport(fetch, { credentials: "include" }), null);

    expect(Object.fromEntries(calls[0]!.body)).toEqual({ grant_type: "refresh_token", client_id: "client-1" });
    expect(calls[0]!.init.credentials).toBe("include");
  });

  it("sends no Referer and follows no redirect", async () => {
    const { fetch, calls } = fakeFetch(() => tokenAnswer());

    await refreshTokenSet(transport(fetch), previous);

    expect(calls[0]!.init).toMatchObject({ method: "POST", referrerPolicy: "no-referrer", redirect: "error" });
  });

  it("replaces a rotated refresh token", async () => {
    const { fetch } = fakeFetch(() => tokenAnswer());

    const next = await refreshTokenSet(transport(fetch), previous);

    expect(next.refreshToken).toBe(NEW_REFRESH);
    expect(next.accessToken).toBe(NEW_ACCESS);
  });

  it("keeps the refresh token when the answer has none", async () => {
    const { fetch } = fakeFetch(() => tokenAnswer({ refresh_token: undefined }));

    const next = await refreshTokenSet(transport(fetch), previous);

    expect(next.refreshToken).toBe(OLD_REFRESH);
  });
});

describe("exchangeCode errors", () => {
  it("maps a network failure to network_error", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("Failed to fetch");
    });

    expectAuthError(await rejectionOf(exchange(fetch)), "network_error");
  });

  it("maps a timeout to network_error at the timeout and not before", async () => {
    vi.useFakeTimers({ now: NOW });
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    let outcome: unknown = "pending";
    exchange(fetch, { timeoutMs: 500 }).then(
      (value) => (outcome = value),
      (error: unknown) => (outcome = error),
    );

    await vi.advanceTimersByTimeAsync(499);
    const before = outcome;
    await vi.advanceTimersByTimeAsync(1);

    expect(before).toBe("pending");
    expectAuthError(outcome, "network_error");
    expect((outcome as SmartbillsAuthError).description).toMatch(/timed out/);
  });

  it("times out after 30 s by default", async () => {
    vi.useFakeTimers({ now: NOW });
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    let outcome: unknown = "pending";
    exchange(fetch).catch((error: unknown) => (outcome = error));

    await vi.advanceTimersByTimeAsync(30_000);

    expectAuthError(outcome, "network_error");
  });

  it("maps a 400 invalid_grant to exchange_failed with the status and the server's code", async () => {
    const { fetch } = fakeFetch(() => json({ error: "invalid_grant", error_description: "The code has expired." }, 400));

    const error = await rejectionOf(exchange(fetch));

    expectAuthError(error, "exchange_failed");
    expect(error.status).toBe(400);
    expect(error.description).toContain("invalid_grant");
  });

  it("keeps the response non-enumerable on the error", async () => {
    const { fetch } = fakeFetch(() => json({ error: "invalid_grant" }, 400));

    const error = await rejectionOf(exchange(fetch));

    expectAuthError(error, "exchange_failed");
    expect(error.response).toBeInstanceOf(Response);
    expect(Object.keys(error)).not.toContain("response");
  });

  it("maps a 500 HTML page to exchange_failed", async () => {
    const { fetch } = fakeFetch(() => new Response("<html>Internal error</html>", { status: 500, headers: { "Content-Type": "text/html" } }));

    const error = await rejectionOf(exchange(fetch));

    expectAuthError(error, "exchange_failed");
    expect(error.status).toBe(500);
  });

  it("maps a 200 that is not JSON to invalid_response", async () => {
    const { fetch } = fakeFetch(() => new Response("<html>ok</html>", { status: 200 }));

    expectAuthError(await rejectionOf(exchange(fetch)), "invalid_response");
  });

  it("maps a 200 without access_token to invalid_response", async () => {
    const { fetch } = fakeFetch(() => json({ token_type: "Bearer", expires_in: 3600 }));

    expectAuthError(await rejectionOf(exchange(fetch)), "invalid_response");
  });

  it("maps a 200 with token_type mac to invalid_response", async () => {
    const { fetch } = fakeFetch(() => tokenAnswer({ token_type: "mac" }));

    expectAuthError(await rejectionOf(exchange(fetch)), "invalid_response");
  });

  it("redacts the code and verifier echoed in an error_description", async () => {
    const { fetch } = fakeFetch(() => json({ error: "invalid_grant", error_description: `code ${CODE} does not match verifier ${VERIFIER}` }, 400));

    const error = await rejectionOf(exchange(fetch));

    expectAuthError(error, "exchange_failed");
    expect(error.description).toContain("[redacted]");
    expectNoSecrets(error);
  });

  // Regression (was a bug): only error_description is redacted; the server's `error` field is copied into the
  // message as is (up to 100 chars). A 400 `{"error":"invalid_grant SECRET-CODE-…"}` yields
  // message "exchange_failed: invalid_grant SECRET-CODE-0123456789", against API.md's "No error
  // message ever contains a token, a code, a verifier or a secret".
  it("redacts the code echoed in the error field", async () => {
    const { fetch } = fakeFetch(() => json({ error: `invalid_grant ${CODE}` }, 400));

    const error = await rejectionOf(exchange(fetch));

    expectAuthError(error, "exchange_failed");
    expectNoSecrets(error);
  });
});

describe("refreshTokenSet errors", () => {
  it("maps a 400 invalid_grant to refresh_failed", async () => {
    const { fetch } = fakeFetch(() => json({ error: "invalid_grant" }, 400));

    const error = await rejectionOf(refreshTokenSet(transport(fetch), previous));

    expectAuthError(error, "refresh_failed");
    expect(error.status).toBe(400);
  });

  it("maps a 503 to network_error", async () => {
    const { fetch } = fakeFetch(() => new Response("unavailable", { status: 503 }));

    const error = await rejectionOf(refreshTokenSet(transport(fetch), previous));

    expectAuthError(error, "network_error");
    expect(error.status).toBe(503);
  });

  it.each([408, 429])("maps a %i to network_error", async (status) => {
    const { fetch } = fakeFetch(() => json({ error: "slow_down" }, status));

    expectAuthError(await rejectionOf(refreshTokenSet(transport(fetch), previous)), "network_error");
  });

  it("maps a network failure to network_error", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("Failed to fetch");
    });

    expectAuthError(await rejectionOf(refreshTokenSet(transport(fetch), previous)), "network_error");
  });

  it("redacts the refresh and access tokens echoed in an error_description", async () => {
    const { fetch } = fakeFetch(() => json({ error: "invalid_grant", error_description: `refresh ${OLD_REFRESH} for ${OLD_ACCESS} revoked` }, 400));

    const error = await rejectionOf(refreshTokenSet(transport(fetch), previous));

    expectAuthError(error, "refresh_failed");
    expectNoSecrets(error);
  });
});

describe("isTransientError", () => {
  it("is false for refresh_failed", () => {
    expect(isTransientError(new SmartbillsAuthError("refresh_failed"))).toBe(false);
  });

  it("is true for network_error", () => {
    expect(isTransientError(new SmartbillsAuthError("network_error"))).toBe(true);
  });

  it("is true for an unknown error", () => {
    expect(isTransientError(new Error("boom"))).toBe(true);
  });
});

describe("no error names a secret", () => {
  // Each answer echoes the request it got, as a careless server or proxy would.
  const answers: [string, (sent: string, values: string[]) => Response][] = [
    ["a network failure quoting the body", (sent) => { throw new TypeError(`failed: ${sent}`); }],
    ["a 400 echoing the secrets", (_sent, values) => json({ error: "invalid_grant", error_description: values.join(" ") }, 400)],
    ["a 400 echoing the form body", (sent) => json({ error: "invalid_request", error_description: sent }, 400)],
    ["a 500 HTML page echoing the request", (sent) => new Response(`<pre>${sent}</pre>`, { status: 500 })],
    ["a 200 that is not JSON echoing the request", (sent) => new Response(sent, { status: 200 })],
    ["a 200 with token_type mac", () => tokenAnswer({ token_type: "mac" })],
    ["a 200 with a bad expires_in", () => tokenAnswer({ expires_in: -5 })],
  ];
  const echoing = (answer: (sent: string, values: string[]) => Response) =>
    fakeFetch((init) => {
      const sent = String(init.body);
      return answer(sent, [...new URLSearchParams(sent).values()]);
    }).fetch;

  it.each(answers)("after an exchange that fails with %s", async (_name, answer) => {
    const error = await rejectionOf(exchange(echoing(answer)));

    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expectNoSecrets(error);
  });

  it.each(answers)("after a refresh that fails with %s", async (_name, answer) => {
    const error = await rejectionOf(refreshTokenSet(transport(echoing(answer)), previous));

    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expectNoSecrets(error);
  });
});
