import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { useContext } from "react";
import { describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import { RequireAuth } from "../../src/react/RequireAuth";
import { SmartbillsContext, SmartbillsProvider } from "../../src/react/SmartbillsProvider";
import { smartbillsKeys } from "../../src/react/smartbillsKeys";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsLogin } from "../../src/react/useSmartbillsLogin";
import { useSmartbillsToken } from "../../src/react/useSmartbillsToken";
import { arrangeCallback, CLIENT_ID, createQueryClient, createRecordingFetch, createWrapper, storeToken, tokenResponse } from "./helpers";

describe("SmartbillsProvider configuration", () => {
  const bad: [string, Record<string, unknown>][] = [
    ["clientId", { clientId: "" }],
    ["clientId", { clientId: undefined }],
    ["authority", { clientId: "c", authority: "not a url" }],
    ["authority", { clientId: "c", authority: "http://example.com" }],
    ["exchangeEndpoint", { clientId: "c", exchangeEndpoint: "not a url" }],
    ["exchangeEndpoint", { clientId: "c", exchangeEndpoint: "//evil.example/token" }],
    ["storage", { clientId: "c", storage: "cookie" }],
    ["storage", { clientId: "c", storage: { getItem() {} } }],
    ["redirectUri", { clientId: "c", redirectUri: "nope" }],
    ["apiOrigins[0]", { clientId: "c", apiOrigins: ["not an origin"] }],
  ];
  for (const [prop, props] of bad) {
    it(`throws at once, naming "${prop}", for ${JSON.stringify(props)}`, () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      expect(() => render(<SmartbillsProvider {...(props as { clientId: string })} />)).toThrow(new RegExp(`"${prop.replace(/[[\]]/g, "\\$&")}"`));
    });
  }

  it("throws a clear error when a hook is used outside the provider", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderHook(() => useSmartbillsAuth())).toThrow(/useSmartbillsAuth must be used inside <SmartbillsProvider>/);
  });
});

describe("SmartbillsProvider and the app's QueryClient", () => {
  it("keeps the token in the surrounding QueryClientProvider's client and does not replace it for children", () => {
    storeToken({ accessToken: "in-app-client" });
    const appClient = createQueryClient();
    let seen: QueryClient | undefined;
    function Child() {
      seen = useQueryClient();
      useSmartbillsAuth();
      return null;
    }
    render(
      <QueryClientProvider client={appClient}>
        <SmartbillsProvider clientId={CLIENT_ID}>
          <Child />
        </SmartbillsProvider>
      </QueryClientProvider>,
    );
    expect(seen).toBe(appClient);
    expect(appClient.getQueryData<{ accessToken: string }>(smartbillsKeys.token(CLIENT_ID))?.accessToken).toBe("in-app-client");
  });

  it("prefers the queryClient prop, and works with no QueryClientProvider at all", () => {
    storeToken({ accessToken: "t1" });
    const propClient = createQueryClient();
    const { result } = renderHook(() => useSmartbillsAuth(), {
      wrapper: ({ children }) => <SmartbillsProvider clientId={CLIENT_ID} queryClient={propClient}>{children}</SmartbillsProvider>,
    });
    expect(result.current.accessToken).toBe("t1");
    expect(propClient.getQueryData(smartbillsKeys.token(CLIENT_ID))).toBeTruthy();
    const { result: alone } = renderHook(() => useSmartbillsAuth(), {
      wrapper: ({ children }) => <SmartbillsProvider clientId={CLIENT_ID}>{children}</SmartbillsProvider>,
    });
    expect(alone.current.accessToken).toBe("t1");
  });

  it("keeps the context value referentially stable across re-renders with inline props", () => {
    const queryClient = createQueryClient();
    const values: unknown[] = [];
    function Probe() {
      values.push(useContext(SmartbillsContext));
      return null;
    }
    const tree = (n: number) => (
      <SmartbillsProvider clientId={CLIENT_ID} queryClient={queryClient} apiOrigins={["https://files.example"]} onRedirectCallback={() => void n}>
        <Probe />
      </SmartbillsProvider>
    );
    const { rerender } = render(tree(1));
    rerender(tree(2));
    rerender(tree(3));
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect(new Set(values).size).toBe(1);
  });

  it("exposes the raw react-query result through useSmartbillsToken", () => {
    storeToken({ accessToken: "raw" });
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsToken(), { wrapper: Wrapper });
    expect(result.current.isSuccess).toBe(true);
    expect(result.current.data?.accessToken).toBe("raw");
    expect(JSON.stringify(result.current.data)).not.toContain("raw\"");
  });

  it("keeps the same functions across renders of useSmartbillsAuth and useSmartbillsLogin", () => {
    storeToken();
    const { Wrapper } = createWrapper();
    const { result, rerender } = renderHook(() => ({ auth: useSmartbillsAuth(), login: useSmartbillsLogin() }), { wrapper: Wrapper });
    const first = result.current;
    rerender();
    expect(result.current.auth.getAccessToken).toBe(first.auth.getAccessToken);
    expect(result.current.auth.logout).toBe(first.auth.logout);
    expect(result.current.login.login).toBe(first.login.login);
  });
});

describe("RequireAuth", () => {
  it("renders its children for a signed-in user", () => {
    storeToken();
    const { Wrapper } = createWrapper();
    render(<RequireAuth fallback={<p>wait</p>}><p>secret page</p></RequireAuth>, { wrapper: Wrapper });
    expect(screen.getByText("secret page")).toBeTruthy();
  });

  it("starts one login returning to the current path when signed out, showing the fallback", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // jsdom: "navigation not implemented"
    window.history.replaceState(null, "", "/orders/7?tab=items");
    const { Wrapper } = createWrapper();
    render(<RequireAuth fallback={<p>Redirecting…</p>}><p>secret page</p></RequireAuth>, { wrapper: Wrapper });
    expect(screen.getByText("Redirecting…")).toBeTruthy();
    expect(screen.queryByText("secret page")).toBeNull();
    await waitFor(() => expect(Object.keys(window.sessionStorage).filter((k) => k.startsWith("smartbills.tx."))).toHaveLength(1));
    const key = Object.keys(window.sessionStorage).find((k) => k.startsWith("smartbills.tx."))!;
    expect(JSON.parse(window.sessionStorage.getItem(key)!).returnTo).toBe("/orders/7?tab=items");
  });
});

describe("render counts", () => {
  it("renders a useSmartbillsAuth consumer at most twice from callback mount to signed in", async () => {
    arrangeCallback();
    const fetch = createRecordingFetch(() => tokenResponse());
    const queryClient = createQueryClient();
    const statuses: string[] = [];
    function Consumer() {
      statuses.push(useSmartbillsAuth().status);
      return null;
    }
    render(
      <SmartbillsProvider clientId={CLIENT_ID} exchangeEndpoint="/api/smartbills/token" queryClient={queryClient} fetch={fetch} onRedirectCallback={() => {}}>
        <Consumer />
        <Callback />
      </SmartbillsProvider>,
    );
    await waitFor(() => expect(statuses.at(-1)).toBe("authenticated"));
    expect(statuses).toEqual(["loading", "authenticated"]);
    expect(fetch.requests).toHaveLength(1);
  });
});

void act;
