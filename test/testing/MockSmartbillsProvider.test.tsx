import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Callback, LoginButton, RequireAuth, SmartbillsAuthError, useSmartbillsAuth, useSmartbillsFetch, useSmartbillsLogin, useSmartbillsUserInfo } from "../../src/index";
import { MockSmartbillsProvider } from "../../src/testing";

describe("MockSmartbillsProvider", () => {
  it("renders a signed-in user with the given token and no network", async () => {
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: ({ children }) => <MockSmartbillsProvider accessToken="t">{children}</MockSmartbillsProvider> });
    expect(result.current.status).toBe("authenticated");
    expect(result.current.accessToken).toBe("t");
    await expect(result.current.getAccessToken()).resolves.toBe("t");
  });

  it("renders a signed-out user and records login calls from the real LoginButton", async () => {
    const onLogin = vi.fn();
    render(
      <MockSmartbillsProvider signedIn={false} onLogin={onLogin}>
        <LoginButton returnTo="/after">Sign in</LoginButton>
      </MockSmartbillsProvider>,
    );
    await act(async () => screen.getByRole("button", { name: "Sign in" }).click());
    expect(onLogin).toHaveBeenCalledWith({ returnTo: "/after" });
    expect(screen.getByRole("button").getAttribute("aria-disabled")).toBe("true");
  });

  it("records logout and signs the mock user out", async () => {
    const onLogout = vi.fn();
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: ({ children }) => <MockSmartbillsProvider onLogout={onLogout}>{children}</MockSmartbillsProvider> });
    await act(() => result.current.logout({ returnTo: "/bye" }));
    await waitFor(() => expect(result.current.status).toBe("unauthenticated"));
    expect(onLogout).toHaveBeenCalledWith({ returnTo: "/bye" });
  });

  it("sends the token and the account through useSmartbillsFetch, with the same origin rules", async () => {
    const fetch = vi.fn(async () => new Response("{}"));
    const { result } = renderHook(() => useSmartbillsFetch(), {
      wrapper: ({ children }) => <MockSmartbillsProvider accessToken="t" onBehalfOf="acct_1" fetch={fetch}>{children}</MockSmartbillsProvider>,
    });
    await act(() => result.current("/v1/me"));
    const headers = new Headers((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers);
    expect(headers.get("authorization")).toBe("Bearer t");
    expect(headers.get("on-behalf-of")).toBe("acct_1");
    await expect(result.current("https://evil.example/")).rejects.toMatchObject({ code: "untrusted_origin" });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("reports a given error and renders it in Callback", async () => {
    const error = new SmartbillsAuthError("access_denied", { description: "no" });
    render(
      <MockSmartbillsProvider signedIn={false} error={error}>
        <Callback error={(e) => <span>{e.code}</span>} />
      </MockSmartbillsProvider>,
    );
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("access_denied"));
  });

  it("keeps the seeded user through StrictMode's double effects (no login started)", async () => {
    const { StrictMode } = await import("react");
    const onLogin = vi.fn();
    render(<StrictMode><MockSmartbillsProvider onLogin={onLogin}><RequireAuth fallback={<p>wait</p>}><p>inside</p></RequireAuth></MockSmartbillsProvider></StrictMode>);
    await act(async () => {});
    expect(screen.getByText("inside")).toBeTruthy();
    expect(onLogin).not.toHaveBeenCalled();
  });

  it("lets RequireAuth and useSmartbillsLogin work unchanged", () => {
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: ({ children }) => <MockSmartbillsProvider>{children}</MockSmartbillsProvider> });
    expect(result.current.isRedirecting).toBe(false);
    render(<MockSmartbillsProvider><RequireAuth><p>inside</p></RequireAuth></MockSmartbillsProvider>);
    expect(screen.getByText("inside")).toBeTruthy();
  });
});

describe("MockSmartbillsProvider: who is signed in", () => {
  it("gives the user to useSmartbillsAuth().user and useSmartbillsUserInfo(), and records logout's options", async () => {
    const onLogout = vi.fn();
    const { result } = renderHook(() => ({ auth: useSmartbillsAuth(), info: useSmartbillsUserInfo() }), {
      wrapper: ({ children }) => (
        <MockSmartbillsProvider user={{ sub: "u_1", name: "Ada" }} onLogout={onLogout}>
          {children}
        </MockSmartbillsProvider>
      ),
    });
    expect(result.current.auth.user).toMatchObject({ sub: "u_1", name: "Ada" });
    await waitFor(() => expect(result.current.info.data).toMatchObject({ sub: "u_1", name: "Ada" }));
    await act(() => result.current.auth.logout({ endSession: true }));
    expect(onLogout).toHaveBeenCalledWith({ endSession: true });
    expect(result.current.auth.user).toBeNull();
  });

  it("has no user when signed out", () => {
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: ({ children }) => <MockSmartbillsProvider signedIn={false}>{children}</MockSmartbillsProvider> });
    expect(result.current.user).toBeNull();
  });
});
