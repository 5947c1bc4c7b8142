import { describe, expect, it } from "vitest";
import { isSmartbillsAuthError } from "../../src/core/errors";
import { createServerEndpoints, DISCOVERY_RETRY_MS } from "../../src/server/serverEndpoints";

const AUTH = "https://api.smartbills.io/auth";

function metadata(extra: Record<string, unknown> = {}) {
  return {
    issuer: AUTH,
    authorization_endpoint: `${AUTH}/connect/authorize`,
    token_endpoint: `${AUTH}/connect/token`,
    revocation_endpoint: `${AUTH}/connect/revoke`,
    userinfo_endpoint: `${AUTH}/connect/userinfo`,
    end_session_endpoint: `${AUTH}/connect/logout`,
    ...extra,
  };
}

/** A fake discovery endpoint: counts requests; `answer` decides each one. */
function fakeDiscovery(answer: () => Response | Promise<Response> = () => Response.json(metadata())) {
  const urls: string[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(String(input));
    expect(init?.redirect).toBe("manual");
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

describe("createServerEndpoints without discovery", () => {
  it("defaults to https://api.smartbills.io/connect/* with client_secret_post and makes no request", async () => {
    const { fetch, urls } = fakeDiscovery();
    const endpoints = await createServerEndpoints({ fetch })();
    expect(endpoints).toEqual({
      issuer: "https://api.smartbills.io",
      authorization: "https://api.smartbills.io/connect/authorize",
      token: "https://api.smartbills.io/connect/token",
      revocation: "https://api.smartbills.io/connect/revocation",
      userinfo: "https://api.smartbills.io/connect/userinfo",
      endSession: "https://api.smartbills.io/connect/endsession",
      clientAuthentication: "client_secret_post",
    });
    expect(urls).toHaveLength(0);
  });

  it("keeps an authority's path (and drops its trailing slash)", async () => {
    for (const authority of [AUTH, `${AUTH}/`]) {
      const endpoints = await createServerEndpoints({ authority })();
      expect(endpoints.issuer).toBe(AUTH);
      expect(endpoints.token).toBe(`${AUTH}/connect/token`);
      expect(endpoints.endSession).toBe(`${AUTH}/connect/endsession`);
    }
  });

  it("lets explicit endpoints and clientAuthentication win", async () => {
    const endpoints = await createServerEndpoints({
      authority: AUTH,
      endpoints: { token: "https://auth.smartbills.io/oauth/token", revocation: "https://auth.smartbills.io/oauth/revoke" },
      clientAuthentication: "client_secret_basic",
    })();
    expect(endpoints.token).toBe("https://auth.smartbills.io/oauth/token");
    expect(endpoints.revocation).toBe("https://auth.smartbills.io/oauth/revoke");
    expect(endpoints.authorization).toBe(`${AUTH}/connect/authorize`);
    expect(endpoints.clientAuthentication).toBe("client_secret_basic");
  });

  it.each([
    [{ authority: "api.smartbills.io" }, "authority"],
    [{ authority: "https://api.smartbills.io/auth?x=1" }, "authority"],
    [{ authority: "https://user:pw@api.smartbills.io" }, "authority"],
    [{ authority: "ftp://api.smartbills.io" }, "authority"],
    [{ endpoints: { token: "/connect/token" } }, "endpoints.token"],
    [{ endpoints: { revocation: "javascript:alert(1)" } }, "endpoints.revocation"],
    [{ clientAuthentication: "private_key_jwt" }, "clientAuthentication"],
    [{ discovery: "yes" }, "discovery"],
    [{ timeoutMs: 0 }, "timeoutMs"],
    [{ now: 5 }, "now"],
    [{ fetch: {} }, "fetch"],
  ])("throws a TypeError naming the option for %j", (options, option) => {
    expect(() => createServerEndpoints(options as never)).toThrow(TypeError);
    expect(() => createServerEndpoints(options as never)).toThrow(option);
  });
});

describe("createServerEndpoints with discovery", () => {
  it("reads the endpoints under the authority's path, once, on first use", async () => {
    const { fetch, urls } = fakeDiscovery();
    const endpoints = createServerEndpoints({ authority: AUTH, discovery: true, fetch });
    expect(urls).toHaveLength(0);
    const first = await endpoints();
    expect(urls).toEqual([`${AUTH}/.well-known/openid-configuration`]);
    expect(first).toEqual({
      issuer: AUTH,
      authorization: `${AUTH}/connect/authorize`,
      token: `${AUTH}/connect/token`,
      revocation: `${AUTH}/connect/revoke`,
      userinfo: `${AUTH}/connect/userinfo`,
      endSession: `${AUTH}/connect/logout`,
      clientAuthentication: "client_secret_post",
    });
    expect(await endpoints()).toBe(first);
    expect(urls).toHaveLength(1);
  });

  it("shares one request between concurrent first calls", async () => {
    const { fetch, urls } = fakeDiscovery();
    const endpoints = createServerEndpoints({ authority: AUTH, discovery: true, fetch });
    const all = await Promise.all([endpoints(), endpoints(), endpoints()]);
    expect(urls).toHaveLength(1);
    expect(all[1]).toBe(all[0]);
  });

  it("leaves out endpoints the metadata does not name, and lets explicit ones win", async () => {
    const doc = metadata({ revocation_endpoint: undefined, end_session_endpoint: undefined });
    const { fetch } = fakeDiscovery(() => Response.json(doc));
    const endpoints = await createServerEndpoints({ authority: AUTH, discovery: true, fetch, endpoints: { token: "https://other.example/token" } })();
    expect(endpoints.revocation).toBeUndefined();
    expect(endpoints.endSession).toBeUndefined();
    expect(endpoints.token).toBe("https://other.example/token");
  });

  it.each([
    [["client_secret_basic"], undefined, "client_secret_basic"],
    [["client_secret_basic", "client_secret_post"], undefined, "client_secret_post"],
    [["private_key_jwt"], undefined, "client_secret_post"],
    [undefined, undefined, "client_secret_post"],
    [["client_secret_basic"], "client_secret_post", "client_secret_post"],
  ] as const)("picks the method from token_endpoint_auth_methods_supported %j with option %s: %s", async (methods, option, expected) => {
    const { fetch } = fakeDiscovery(() => Response.json(metadata(methods ? { token_endpoint_auth_methods_supported: methods } : {})));
    const endpoints = await createServerEndpoints({ authority: AUTH, discovery: true, fetch, ...(option && { clientAuthentication: option }) })();
    expect(endpoints.clientAuthentication).toBe(expected);
  });

  it.each([
    ["another issuer", () => Response.json(metadata({ issuer: "https://evil.example" }))],
    ["an http endpoint", () => Response.json(metadata({ token_endpoint: "http://api.smartbills.io/auth/connect/token" }))],
    ["no token_endpoint", () => Response.json(metadata({ token_endpoint: undefined }))],
    ["no authorization_endpoint", () => Response.json(metadata({ authorization_endpoint: undefined }))],
    ["a redirect", () => new Response(null, { status: 302, headers: { Location: "https://evil.example/" } })],
    ["HTML", () => new Response("<html></html>", { headers: { "Content-Type": "text/html" } })],
  ])("rejects %s with invalid_metadata", async (_, answer) => {
    const { fetch } = fakeDiscovery(answer);
    const error = await createServerEndpoints({ authority: AUTH, discovery: true, fetch })().catch((e: unknown) => e);
    expect(isSmartbillsAuthError(error) && error.code).toBe("invalid_metadata");
  });

  it("retries a failed fetch on a later call, but not within 10 s (rethrowing the last error without a request)", async () => {
    let clock = 1_000_000;
    let down = true;
    const { fetch, urls } = fakeDiscovery(() => (down ? new Response("down", { status: 503 }) : Response.json(metadata())));
    const endpoints = createServerEndpoints({ authority: AUTH, discovery: true, fetch, now: () => clock });

    const first = await endpoints().catch((e: unknown) => e);
    expect(isSmartbillsAuthError(first) && first.code).toBe("network_error");
    expect(urls).toHaveLength(1);

    clock += DISCOVERY_RETRY_MS - 1;
    down = false;
    await expect(endpoints()).rejects.toBe(first);
    expect(urls).toHaveLength(1);

    clock += 1;
    expect((await endpoints()).token).toBe(`${AUTH}/connect/token`);
    expect(urls).toHaveLength(2);
    await endpoints();
    expect(urls).toHaveLength(2);
  });

  it("rejects with network_error when fetch throws, and the error carries nothing of the failure's text", async () => {
    const { fetch } = fakeDiscovery(() => Promise.reject(new Error("ECONNREFUSED secret-ish detail")));
    const error = await createServerEndpoints({ authority: AUTH, discovery: true, fetch })().catch((e: unknown) => e);
    expect(isSmartbillsAuthError(error) && error.code).toBe("network_error");
  });

  it("gives up at timeoutMs even when fetch ignores the abort signal", async () => {
    const fetch = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
    const started = Date.now();
    const error = await createServerEndpoints({ authority: AUTH, discovery: true, fetch, timeoutMs: 30 })().catch((e: unknown) => e);
    expect(isSmartbillsAuthError(error) && error.code).toBe("network_error");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
