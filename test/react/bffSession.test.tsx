/** BFF mode, the session: useSmartbillsAuth reads GET /session, strictly, and never holds a token. */
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { smartbillsKeys } from "../../src/react/smartbillsKeys";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { ALICE, BFF, createBffNetwork, createBffWrapper, signedInAnswer, signedOutAnswer } from "./bffHelpers";
import { jsonResponse } from "./helpers";

afterEach(() => vi.useRealTimers());

function renderAuth(network: ReturnType<typeof createBffNetwork>) {
  const { Wrapper, queryClient } = createBffWrapper(network);
  const hook = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
  return { hook, queryClient };
}

describe("bff: the session from GET /session", () => {
  it("is loading, then authenticated with the user, its end and scope; no token, one request", async () => {
    const network = createBffNetwork();
    const { hook } = renderAuth(network);
    expect(hook.result.current.status).toBe("loading");
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    const auth = hook.result.current;
    expect(auth.user).toEqual(ALICE);
    expect(auth.accessToken).toBeNull();
    expect(auth.scope).toBe("openid offline_access");
    expect(auth.expiresAt).toBeGreaterThan(Date.now());
    const [request] = network.to("session");
    expect(network.to("session")).toHaveLength(1);
    expect(request!.url).toBe(`${BFF}/session`);
    expect(request!.init?.credentials).toBe("same-origin");
    expect(request!.init?.redirect).toBe("manual");
  });

  it("is unauthenticated when the server says so", async () => {
    const { hook } = renderAuth(createBffNetwork({ session: signedOutAnswer }));
    await waitFor(() => expect(hook.result.current.status).toBe("unauthenticated"));
    expect(hook.result.current.user).toBeNull();
    expect(hook.result.current.error).toBeNull();
  });

  it("rejects getAccessToken with unsupported: the browser has no token", async () => {
    const { hook } = renderAuth(createBffNetwork());
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    const error = await hook.result.current.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expect((error as SmartbillsAuthError).code).toBe("unsupported");
  });

  it("never exposes a token the server should not have sent, in the query or the user", async () => {
    const network = createBffNetwork({
      session: () =>
        signedInAnswer(60_000, { accessToken: "at-LEAK", access_token: "at-LEAK", refreshToken: "rt-LEAK", idToken: "id-LEAK", user: { ...ALICE, access_token: "at-LEAK", id_token: "id-LEAK" } }),
    });
    const { hook, queryClient } = renderAuth(network);
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    const data = queryClient.getQueryData(smartbillsKeys.session(BFF));
    expect(JSON.stringify(data)).not.toMatch(/LEAK/);
    expect(JSON.stringify(hook.result.current)).not.toMatch(/LEAK/);
    expect(hook.result.current.user).toEqual(ALICE);
    expect(hook.result.current.accessToken).toBeNull();
  });

  it.each([
    ["an HTML page (the SPA fallback where the BFF is not mounted)", () => new Response("<!doctype html><p>app</p>", { headers: { "Content-Type": "text/html" } }), "invalid_response"],
    ["garbage with a JSON content type", () => new Response("{not json", { headers: { "Content-Type": "application/json" } }), "invalid_response"],
    ["JSON that is not a session", () => jsonResponse(["authenticated", true]), "invalid_response"],
    ["authenticated without expiresAt", () => jsonResponse({ authenticated: true, user: ALICE }), "invalid_response"],
    ["a user without a sub", () => jsonResponse({ authenticated: true, user: { name: "x" }, expiresAt: Date.now() + 60_000 }), "invalid_response"],
    ["a 404", () => jsonResponse({ error: "not_found" }, 404), "not_found"],
    ["a 500", () => new Response("Internal error", { status: 500 }), "network_error"],
    ["a 503 from the session store", () => jsonResponse({ error: "temporarily_unavailable", error_description: "store down" }, 503), "network_error"],
    ["a redirect (an auth proxy in front)", () => new Response(null, { status: 302, headers: { Location: "https://sso.example/login" } }), "invalid_response"],
    ["a huge answer", () => jsonResponse({ authenticated: true, user: { sub: "x", pad: "x".repeat(200_000) }, expiresAt: Date.now() + 60_000 }), "invalid_response"],
  ])("reads %s as a typed error, signed out, never a crash", async (_name, answer, code) => {
    const { hook } = renderAuth(createBffNetwork({ session: answer }));
    await waitFor(() => expect(hook.result.current.error).not.toBeNull());
    expect(hook.result.current.error).toBeInstanceOf(SmartbillsAuthError);
    expect(hook.result.current.error!.code).toBe(code);
    expect(hook.result.current.status).toBe("unauthenticated");
    expect(hook.result.current.error!.message).not.toMatch(/store down|Internal error|pad/);
  });

  it("reads an authenticated answer whose end has passed as signed out", async () => {
    const { hook } = renderAuth(createBffNetwork({ session: () => signedInAnswer(-1000) }));
    await waitFor(() => expect(hook.result.current.status).toBe("unauthenticated"));
    expect(hook.result.current.error).toBeNull();
  });

  it("does not believe a Date header a day or more off (a broken proxy): the end stays as the server said", async () => {
    const answer = () => {
      const response = signedInAnswer(10 * 60_000);
      response.headers.set("Date", new Date(0).toUTCString());
      return response;
    };
    const { hook } = renderAuth(createBffNetwork({ session: answer }));
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    expect(hook.result.current.expiresAt! - Date.now()).toBeLessThanOrEqual(10 * 60_000);
  });

  it("ends a session whose server never answers within 10 s with network_error", async () => {
    vi.useFakeTimers();
    const { hook } = renderAuth(createBffNetwork({ session: () => new Promise<Response>(() => {}) }));
    await act(() => vi.advanceTimersByTimeAsync(10_100));
    expect(hook.result.current.error?.code).toBe("network_error");
    expect(hook.result.current.status).toBe("unauthenticated");
  });

  it("moves expiresAt to the browser's clock by the answer's Date (a browser clock 2 h ahead still sees a live session)", async () => {
    const serverNow = Date.now() - 2 * 3600_000;
    const answer = () => {
      const response = jsonResponse({ authenticated: true, user: ALICE, expiresAt: serverNow + 30 * 60_000, scope: null });
      response.headers.set("Date", new Date(serverNow).toUTCString());
      return response;
    };
    const { hook } = renderAuth(createBffNetwork({ session: answer }));
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    expect(hook.result.current.expiresAt! - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(hook.result.current.expiresAt! - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 1000);
  });
});

describe("bff: the session is asked again", () => {
  it("when the tab becomes visible, and a failed refetch keeps the session", async () => {
    const network = createBffNetwork({ session: (_r, n) => (n === 2 ? jsonResponse({ error: "temporarily_unavailable" }, 503) : signedInAnswer()) });
    const { hook } = renderAuth(network);
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    await act(async () => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(network.to("session")).toHaveLength(2));
    await waitFor(() => expect(hook.result.current.error?.code).toBe("network_error"));
    expect(hook.result.current.status).toBe("authenticated");
  });

  it("when the tab becomes visible and the session ended meanwhile: signed out", async () => {
    const network = createBffNetwork({ session: (_r, n) => (n === 1 ? signedInAnswer() : signedOutAnswer()) });
    const { hook } = renderAuth(network);
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    await act(async () => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(hook.result.current.status).toBe("unauthenticated"));
  });

  it("a minute before the session's end, so an idle timeout that activity moved is seen in time", async () => {
    vi.useFakeTimers();
    const network = createBffNetwork({ session: () => signedInAnswer(10 * 60_000) });
    const { hook } = renderAuth(network);
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(hook.result.current.status).toBe("authenticated");
    expect(network.to("session")).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(8 * 60_000));
    expect(network.to("session")).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(61_000));
    expect(network.to("session")).toHaveLength(2);
    // Each answer moved the end ten minutes on: the page never showed the user signed out.
    await act(() => vi.advanceTimersByTimeAsync(30 * 60_000));
    expect(hook.result.current.status).toBe("authenticated");
  });

  it("stops asking once unmounted", async () => {
    vi.useFakeTimers();
    const network = createBffNetwork({ session: () => signedInAnswer(2 * 60_000) });
    const { hook } = renderAuth(network);
    await act(() => vi.advanceTimersByTimeAsync(10));
    hook.unmount();
    await act(() => vi.advanceTimersByTimeAsync(10 * 60_000));
    document.dispatchEvent(new Event("visibilitychange"));
    expect(network.to("session")).toHaveLength(1);
  });
});

describe("bff: the provider's bff prop", () => {
  it.each(["api/smartbills", "//evil.example/bff", "/\\evil.example", "https://app.example/api", "/api?x=1", ""])("refuses %j at once, naming the prop", (bff) => {
    const network = createBffNetwork();
    const { Wrapper } = createBffWrapper(network, { bff });
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper })).toThrow(/"bff"/);
    expect(network.requests).toHaveLength(0);
  });

  it("accepts a trailing slash", async () => {
    const network = createBffNetwork();
    const { Wrapper } = createBffWrapper(network, { bff: `${BFF}/` });
    const hook = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(hook.result.current.status).toBe("authenticated"));
    expect(network.requests[0]!.url).toBe(`${BFF}/session`);
  });
});
