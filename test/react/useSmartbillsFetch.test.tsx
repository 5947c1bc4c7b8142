import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { createRecordingFetch, createWrapper, jsonResponse, storeToken, tokenResponse } from "./helpers";

/** One fake network: the exchange endpoint answers tokens, everything else is the API. */
function createNetwork(api: (req: { url: string; headers: Headers }, n: number) => Response) {
  let apiCalls = 0;
  return createRecordingFetch((request) => {
    if (request.url.endsWith("/api/smartbills/token")) return tokenResponse({ access_token: "refreshed-at" });
    apiCalls += 1;
    return api(request, apiCalls);
  });
}

const apiCalls = (fetch: ReturnType<typeof createNetwork>) => fetch.requests.filter((r) => !r.url.endsWith("/api/smartbills/token"));
const refreshes = (fetch: ReturnType<typeof createNetwork>) => fetch.requests.filter((r) => r.url.endsWith("/api/smartbills/token"));

function setup(props: Parameters<typeof createWrapper>[0] = {}, options?: Parameters<typeof useSmartbillsFetch>[0]) {
  const { Wrapper } = createWrapper(props);
  return renderHook(() => useSmartbillsFetch(options), { wrapper: Wrapper });
}

describe("useSmartbillsFetch", () => {
  it("adds the bearer token and keeps the caller's own headers and init", async () => {
    storeToken({ accessToken: "live-at" });
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({ ok: true })));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup();
    const response = await act(() => result.current("/v1/me", { method: "POST", headers: { "X-Trace": "42" }, body: "{}" }));
    expect(response.status).toBe(200);
    const [call] = apiCalls(fetch);
    expect(call!.headers.get("authorization")).toBe("Bearer live-at");
    expect(call!.headers.get("x-trace")).toBe("42");
    expect(call!.method).toBe("POST");
    expect(call!.init?.body).toBe("{}");
    expect(call!.headers.has("on-behalf-of")).toBe(false);
  });

  it("sends the provider's on-behalf-of account, and the hook's option overrides it", async () => {
    storeToken();
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({})));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result: fromProvider } = setup({ onBehalfOf: "acct_1" });
    await act(() => fromProvider.current("https://api.smartbills.io/v1/receipts"));
    const { result: fromHook } = setup({ onBehalfOf: "acct_1" }, { onBehalfOf: "acct_2" });
    await act(() => fromHook.current("https://api.smartbills.io/v1/receipts"));
    const { result: none } = setup({ onBehalfOf: "acct_1" }, { onBehalfOf: null });
    await act(() => none.current("https://api.smartbills.io/v1/accounts"));
    expect(apiCalls(fetch).map((c) => c.headers.get("on-behalf-of"))).toEqual(["acct_1", "acct_2", null]);
  });

  it("refuses a foreign origin with untrusted_origin and sends nothing", async () => {
    storeToken({ accessToken: "live-at" });
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({})));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup({ onBehalfOf: "acct_1" });
    for (const target of ["https://evil.example/steal", "//evil.example/x", "https://api.smartbills.io.evil.example/", "http://api.smartbills.io/v1", new URL("https://evil.example/")]) {
      await act(async () => {
        await expect(result.current(target)).rejects.toMatchObject({ code: "untrusted_origin" });
      });
    }
    expect(fetch.requests).toHaveLength(0);
  });

  it("sends the token to an origin listed in apiOrigins", async () => {
    storeToken({ accessToken: "live-at" });
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({})));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup({ apiOrigins: ["https://files.smartbills.io"] });
    await act(() => result.current("https://files.smartbills.io/upload"));
    expect(apiCalls(fetch)[0]!.headers.get("authorization")).toBe("Bearer live-at");
  });

  it("after a 401 refreshes once and retries once with the new token", async () => {
    storeToken({ accessToken: "dead-at" });
    vi.stubGlobal("fetch", createNetwork((_req, n) => (n === 1 ? new Response(null, { status: 401 }) : jsonResponse({ ok: true }))));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup();
    const response = await act(() => result.current("/v1/me"));
    expect(response.status).toBe(200);
    expect(refreshes(fetch)).toHaveLength(1);
    expect(apiCalls(fetch).map((c) => c.headers.get("authorization"))).toEqual(["Bearer dead-at", "Bearer refreshed-at"]);
  });

  it("never retries more than once when the API keeps answering 401", async () => {
    storeToken({ accessToken: "dead-at" });
    vi.stubGlobal("fetch", createNetwork(() => new Response(null, { status: 401 })));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup();
    const response = await act(() => result.current("/v1/me"));
    expect(response.status).toBe(401);
    expect(apiCalls(fetch)).toHaveLength(2);
    expect(refreshes(fetch)).toHaveLength(1);
  });

  it("shares one refresh among concurrent calls on an expiring token", async () => {
    storeToken({ accessToken: "old-at", expiresAt: Date.now() + 1000, issuedAt: Date.now() - 3_599_000 });
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({})));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup();
    await act(() => Promise.all(Array.from({ length: 10 }, () => result.current("/v1/me"))));
    expect(refreshes(fetch)).toHaveLength(1);
    expect(apiCalls(fetch).every((c) => c.headers.get("authorization") === "Bearer refreshed-at")).toBe(true);
  });

  it("rejects with login_required and sends nothing when signed out", async () => {
    vi.stubGlobal("fetch", createNetwork(() => jsonResponse({})));
    const fetch = globalThis.fetch as ReturnType<typeof createNetwork>;
    const { result } = setup();
    await act(async () => {
      await expect(result.current("/v1/me")).rejects.toMatchObject({ code: "login_required" });
    });
    expect(fetch.requests).toHaveLength(0);
  });

  it("turns a network failure into network_error", async () => {
    storeToken();
    vi.stubGlobal("fetch", createRecordingFetch(() => Promise.reject(new TypeError("Failed to fetch"))));
    const { result } = setup();
    await act(async () => {
      await expect(result.current("/v1/me")).rejects.toMatchObject({ code: "network_error" });
    });
  });

  it("returns a stable function across renders", () => {
    storeToken();
    const { result, rerender } = setup();
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
  });
});
