/** BFF mode, the actions: login goes to the backend, fetch through its proxy, logout POSTs, user info from /userinfo. */
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { useSmartbillsLogin } from "../../src/react/useSmartbillsLogin";
import { useSmartbillsUserInfo } from "../../src/react/useSmartbillsUserInfo";
import { ALICE, BFF, createBffNetwork, createBffWrapper, signedOutAnswer } from "./bffHelpers";
import { jsonResponse } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, "", "/");
});

function renderAll(network: ReturnType<typeof createBffNetwork>, props: Parameters<typeof createBffWrapper>[1] = {}, fetchOptions?: Parameters<typeof useSmartbillsFetch>[0]) {
  const { Wrapper, queryClient } = createBffWrapper(network, props);
  const hook = renderHook(() => ({ auth: useSmartbillsAuth(), login: useSmartbillsLogin(), fetch: useSmartbillsFetch(fetchOptions) }), { wrapper: Wrapper });
  return { hook, queryClient };
}

async function signedIn(network = createBffNetwork(), props: Parameters<typeof createBffWrapper>[1] = {}, fetchOptions?: Parameters<typeof useSmartbillsFetch>[0]) {
  const rendered = renderAll(network, props, fetchOptions);
  await waitFor(() => expect(rendered.hook.result.current.auth.status).toBe("authenticated"));
  return { ...rendered, network };
}

describe("bff: login", () => {
  it("sends the browser to ${bff}/login with returnTo (the current path by default), prompt and loginHint; no PKCE here", async () => {
    window.history.replaceState(null, "", "/receipts?page=2#top");
    const openUrl = vi.fn();
    const { hook } = renderAll(createBffNetwork({ session: signedOutAnswer }));
    await act(() => hook.result.current.login.login({ openUrl, prompt: "login", loginHint: "alice@example.com" }));
    const url = new URL(openUrl.mock.calls[0]![0] as string);
    expect(url.origin + url.pathname).toBe(`${window.location.origin}${BFF}/login`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ returnTo: "/receipts?page=2#top", prompt: "login", loginHint: "alice@example.com" });
    expect(hook.result.current.login.isRedirecting).toBe(true);
    expect(Object.keys(window.sessionStorage)).toEqual([]);
  });

  it("sanitises returnTo: another origin becomes /", async () => {
    const openUrl = vi.fn();
    const { hook } = renderAll(createBffNetwork({ session: signedOutAnswer }));
    await act(() => hook.result.current.login.login({ openUrl, returnTo: "https://evil.example/x" }));
    expect(new URL(openUrl.mock.calls[0]![0] as string).searchParams.get("returnTo")).toBe("/");
  });

  it("keeps a failing openUrl's error in useSmartbillsLogin().error and stops redirecting", async () => {
    const { hook } = renderAll(createBffNetwork({ session: signedOutAnswer }));
    const error = await act(() => hook.result.current.login.login({ openUrl: () => Promise.reject(new Error("blocked")) }).catch((e: unknown) => e));
    expect((error as SmartbillsAuthError).code).toBe("unsupported_environment");
    expect(hook.result.current.login.error?.code).toBe("unsupported_environment");
    expect(hook.result.current.login.isRedirecting).toBe(false);
  });
});

describe("bff: useSmartbillsFetch goes through the proxy", () => {
  it.each([
    ["an API URL", "https://api.smartbills.io/v1/receipts?page=2&q=a%2Fb", `${BFF}/api/v1/receipts?page=2&q=a%2Fb`],
    ["a path", "/v1/me", `${BFF}/api/v1/me`],
    ["a URL already on the proxy", `${BFF}/api/v1/me`, `${BFF}/api/v1/me`],
    ["a URL object", new URL("https://api.smartbills.io/v1/x#frag"), `${BFF}/api/v1/x`],
  ])("rewrites %s to the proxy, with the CSRF header and the cookie (same origin)", async (_name, input, path) => {
    const { hook, network } = await signedIn();
    const response = await act(() => hook.result.current.fetch(input, { method: "POST", body: "{}", headers: { "Content-Type": "application/json", Authorization: "Bearer x" } }));
    expect(response.status).toBe(200);
    const [call] = network.api();
    expect(call!.url).toBe(`${window.location.origin}${path}`);
    expect(call!.method).toBe("POST");
    expect(call!.init?.body).toBe("{}");
    expect(call!.init?.credentials).toBe("same-origin");
    expect(call!.headers.get("x-smartbills-request")).toBe("1");
    expect(call!.headers.get("content-type")).toBe("application/json");
    // The backend adds the token; the browser never sends one.
    expect(call!.headers.has("authorization")).toBe(false);
    expect(call!.headers.has("on-behalf-of")).toBe(false);
  });

  it("rewrites a Request, keeping its method and body", async () => {
    const { hook, network } = await signedIn();
    await act(() => hook.result.current.fetch(new Request("https://api.smartbills.io/v1/x", { method: "PUT", body: "payload", headers: { "X-Trace": "7" } })));
    const [call] = network.api();
    expect(call!.url).toBe(`${window.location.origin}${BFF}/api/v1/x`);
    expect(call!.method).toBe("PUT");
    expect(new TextDecoder().decode(call!.init!.body as ArrayBuffer)).toBe("payload");
    expect(call!.headers.get("x-trace")).toBe("7");
    expect(call!.headers.get("x-smartbills-request")).toBe("1");
  });

  it("sends the provider's account in the configured account header, and null sends none", async () => {
    const { hook, network } = await signedIn(createBffNetwork(), { onBehalfOf: "acct_42", accountHeader: "x-account" });
    await act(() => hook.result.current.fetch("/v1/me"));
    expect(network.api()[0]!.headers.get("x-account")).toBe("acct_42");
    const { hook: other, network: second } = await signedIn(createBffNetwork(), { onBehalfOf: "acct_42" }, { onBehalfOf: null });
    await act(() => other.result.current.fetch("/v1/me"));
    expect(second.api()[0]!.headers.has("on-behalf-of")).toBe(false);
  });

  it.each([
    "https://evil.example/v1/x",
    "//evil.example/v1/x",
    "/\\evil.example/v1/x",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "http://api.smartbills.io/v1/x",
    "https://api.smartbills.io.evil.example/v1/x",
  ])("refuses %s with untrusted_origin, and sends nothing", async (input) => {
    const { hook, network } = await signedIn();
    const before = network.requests.length;
    const error = await hook.result.current.fetch(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expect((error as SmartbillsAuthError).code).toBe("untrusted_origin");
    expect(network.requests).toHaveLength(before);
  });

  it("returns the API's own 401 as it is, and the session stays", async () => {
    const network = createBffNetwork({ api: () => jsonResponse({ error: "invalid_token" }, 401) });
    const { hook } = await signedIn(network);
    const response = await act(() => hook.result.current.fetch("/v1/me"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
    expect(hook.result.current.auth.status).toBe("authenticated");
  });

  it("ends the session on the backend's 401 login_required, and the app still reads the answer", async () => {
    const network = createBffNetwork({ api: () => jsonResponse({ error: "login_required", error_description: "The session has ended." }, 401) });
    const { hook } = await signedIn(network);
    const response = await act(() => hook.result.current.fetch("/v1/me"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("login_required");
    await waitFor(() => expect(hook.result.current.auth.status).toBe("unauthenticated"));
  });

  it("turns a network failure into network_error", async () => {
    const network = createBffNetwork({ api: () => Promise.reject(new TypeError("Failed to fetch")) });
    const { hook } = await signedIn(network);
    const error = await hook.result.current.fetch("/v1/me").catch((e: unknown) => e);
    expect((error as SmartbillsAuthError).code).toBe("network_error");
  });
});

describe("bff: logout", () => {
  it("POSTs ${bff}/logout with the CSRF header and {endSession:false}, then signed out", async () => {
    const { hook, network } = await signedIn();
    await act(() => hook.result.current.auth.logout());
    const [request] = network.to("logout");
    expect(request!.method).toBe("POST");
    expect(request!.headers.get("x-smartbills-request")).toBe("1");
    expect(request!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request!.init!.body as string)).toEqual({ endSession: false });
    expect(request!.init?.credentials).toBe("same-origin");
    expect(hook.result.current.auth.status).toBe("unauthenticated");
  });

  it("with endSession, goes to the endSessionUrl the backend returned", async () => {
    const endSessionUrl = "https://api.smartbills.io/connect/endsession?client_id=app&state=s";
    const { hook, network } = await signedIn(createBffNetwork({ logout: () => jsonResponse({ endSessionUrl }) }));
    const openUrl = vi.fn();
    await act(() => hook.result.current.auth.logout({ endSession: true, openUrl }));
    expect(JSON.parse(network.to("logout")[0]!.init!.body as string)).toEqual({ endSession: true });
    expect(openUrl).toHaveBeenCalledWith(endSessionUrl);
    expect(hook.result.current.auth.status).toBe("unauthenticated");
  });

  it.each([
    ["no endSessionUrl", {}],
    ["a javascript: URL", { endSessionUrl: "javascript:alert(document.cookie)" }],
    ["a plain-http URL", { endSessionUrl: "http://evil.example/end" }],
    ["a number", { endSessionUrl: 42 }],
  ])("with endSession and %s: signed out, rejects unsupported, navigates nowhere", async (_name, body) => {
    const { hook } = await signedIn(createBffNetwork({ logout: () => jsonResponse(body) }));
    const openUrl = vi.fn();
    const error = await act(() => hook.result.current.auth.logout({ endSession: true, openUrl }).catch((e: unknown) => e));
    expect((error as SmartbillsAuthError).code).toBe("unsupported");
    expect(openUrl).not.toHaveBeenCalled();
    expect(hook.result.current.auth.status).toBe("unauthenticated");
  });

  it("navigates to a sanitised returnTo through onRedirectCallback", async () => {
    const onRedirectCallback = vi.fn();
    const { hook } = await signedIn(createBffNetwork(), { onRedirectCallback });
    await act(() => hook.result.current.auth.logout({ returnTo: "//evil.example" }));
    expect(onRedirectCallback).toHaveBeenCalledWith("/");
  });

  it("when the backend cannot be reached: rejects network_error and the session stays (the cookie still works)", async () => {
    const network = createBffNetwork({ logout: () => Promise.reject(new TypeError("Failed to fetch")) });
    const { hook } = await signedIn(network);
    const error = await act(() => hook.result.current.auth.logout().catch((e: unknown) => e));
    expect((error as SmartbillsAuthError).code).toBe("network_error");
    await waitFor(() => expect(network.to("session").length).toBeGreaterThanOrEqual(2));
    expect(hook.result.current.auth.status).toBe("authenticated");
  });

  it("when the backend refuses (403): rejects with its code, and asks /session what is true", async () => {
    const network = createBffNetwork({ logout: () => jsonResponse({ error: "access_denied", error_description: "Foreign origin." }, 403), session: (_r, n) => (n === 1 ? signedInAnswerNow() : signedOutAnswer()) });
    const { hook } = await signedIn(network);
    const error = await act(() => hook.result.current.auth.logout().catch((e: unknown) => e));
    expect((error as SmartbillsAuthError).code).toBe("access_denied");
    await waitFor(() => expect(hook.result.current.auth.status).toBe("unauthenticated"));
  });

  it("is bounded: a backend that never answers rejects within 10 s", async () => {
    const network = createBffNetwork({ logout: () => new Promise<Response>(() => {}) });
    const { hook } = await signedIn(network);
    vi.useFakeTimers();
    let settled: unknown;
    void hook.result.current.auth.logout().catch((e: unknown) => (settled = e));
    await act(() => vi.advanceTimersByTimeAsync(10_100));
    expect((settled as SmartbillsAuthError).code).toBe("network_error");
  });
});

describe("bff: every tab follows", () => {
  it("a logout in one tab signs the other out", async () => {
    const first = await signedIn();
    const second = await signedIn();
    await act(() => first.hook.result.current.auth.logout());
    await waitFor(() => expect(second.hook.result.current.auth.status).toBe("unauthenticated"));
  });

  it("a 401 login_required in one tab signs the other out", async () => {
    const first = await signedIn(createBffNetwork({ api: () => jsonResponse({ error: "login_required" }, 401) }));
    const second = await signedIn();
    await act(() => first.hook.result.current.fetch("/v1/me"));
    await waitFor(() => expect(second.hook.result.current.auth.status).toBe("unauthenticated"));
  });

  it("a sign-in seen by one tab makes a signed-out tab ask /session again", async () => {
    let signedInNow = false;
    const shared = () => (signedInNow ? signedInAnswerNow() : signedOutAnswer());
    const out = renderAll(createBffNetwork({ session: shared }));
    await waitFor(() => expect(out.hook.result.current.auth.status).toBe("unauthenticated"));
    signedInNow = true;
    await signedIn(createBffNetwork({ session: shared }));
    await waitFor(() => expect(out.hook.result.current.auth.status).toBe("authenticated"));
  });
});

describe("bff: the rest of the API", () => {
  it("useSmartbillsUserInfo reads ${bff}/userinfo, and a token in it is dropped", async () => {
    const network = createBffNetwork({ userinfo: () => jsonResponse({ ...ALICE, email_verified: true, access_token: "at-LEAK" }) });
    const { Wrapper } = createBffWrapper(network);
    const hook = renderHook(() => useSmartbillsUserInfo(), { wrapper: Wrapper });
    await waitFor(() => expect(hook.result.current.data).toEqual({ ...ALICE, email_verified: true }));
    expect(network.to("userinfo")[0]!.init?.credentials).toBe("same-origin");
  });

  it("useSmartbillsUserInfo refuses another user's claims", async () => {
    const network = createBffNetwork({ userinfo: () => jsonResponse({ sub: "mallory" }) });
    const { Wrapper } = createBffWrapper(network);
    const hook = renderHook(() => useSmartbillsUserInfo(), { wrapper: Wrapper });
    await waitFor(() => expect(hook.result.current.error?.code).toBe("invalid_response"));
  });

  it("useSmartbillsUserInfo: a 401 ends the session", async () => {
    const network = createBffNetwork({ userinfo: () => jsonResponse({ error: "login_required" }, 401) });
    const { Wrapper } = createBffWrapper(network);
    const hook = renderHook(() => ({ info: useSmartbillsUserInfo(), auth: useSmartbillsAuth() }), { wrapper: Wrapper });
    await waitFor(() => expect(hook.result.current.auth.status).toBe("unauthenticated"));
    expect(network.to("userinfo")).toHaveLength(1);
  });
});

function signedInAnswerNow(): Response {
  return jsonResponse({ authenticated: true, user: ALICE, expiresAt: Date.now() + 30 * 60_000, scope: null });
}
