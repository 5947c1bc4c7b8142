/** BFF mode: the components work unchanged; <Callback/> has nothing to do here and says so. */
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import { LoginButton } from "../../src/react/LoginButton";
import { RequireAuth } from "../../src/react/RequireAuth";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsLogin } from "../../src/react/useSmartbillsLogin";
import { useSmartbillsToken } from "../../src/react/useSmartbillsToken";
import { ALICE, createBffNetwork, createBffWrapper, signedInAnswer, signedOutAnswer } from "./bffHelpers";
import { jsonResponse } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, "", "/");
});

describe("bff: components", () => {
  it("RequireAuth renders its children for a signed-in user", async () => {
    const { Wrapper } = createBffWrapper(createBffNetwork());
    render(<RequireAuth fallback={<p>wait</p>}><p>secret page</p></RequireAuth>, { wrapper: Wrapper });
    expect(screen.getByText("wait")).toBeTruthy();
    await waitFor(() => expect(screen.getByText("secret page")).toBeTruthy());
  });

  it("RequireAuth starts the backend's login when signed out, showing the fallback", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // jsdom: "navigation not implemented"
    const { Wrapper } = createBffWrapper(createBffNetwork({ session: signedOutAnswer }));
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: ({ children }) => <Wrapper><RequireAuth fallback={<p>Redirecting…</p>}><p>secret page</p></RequireAuth>{children}</Wrapper> });
    await waitFor(() => expect(result.current.isRedirecting).toBe(true));
    expect(screen.getByText("Redirecting…")).toBeTruthy();
    expect(screen.queryByText("secret page")).toBeNull();
  });

  it("RequireAuth does not bounce to a login that cannot load when the backend is down (503)", async () => {
    const network = createBffNetwork({ session: () => jsonResponse({ error: "temporarily_unavailable" }, 503) });
    const { Wrapper } = createBffWrapper(network);
    const { result } = renderHook(() => ({ login: useSmartbillsLogin(), auth: useSmartbillsAuth() }), { wrapper: ({ children }) => <Wrapper><RequireAuth fallback={<p>wait</p>}><p>secret page</p></RequireAuth>{children}</Wrapper> });
    await waitFor(() => expect(result.current.auth.error?.code).toBe("network_error"));
    expect(result.current.login.isRedirecting).toBe(false);
    expect(screen.getByText("wait")).toBeTruthy();
  });

  it("LoginButton starts the login and then ignores a second click", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { Wrapper } = createBffWrapper(createBffNetwork({ session: signedOutAnswer }));
    render(<LoginButton>Sign in</LoginButton>, { wrapper: Wrapper });
    const button = screen.getByRole("button", { name: "Sign in" });
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute("aria-busy")).toBe("true"));
  });

  it("<Callback/> shows an error at once (no callback in this mode) and asks nothing of the backend but /session", async () => {
    window.history.replaceState(null, "", "/callback?code=abc&state=xyz");
    const onError = vi.fn();
    const network = createBffNetwork();
    const { Wrapper } = createBffWrapper(network);
    render(<Callback onError={onError} />, { wrapper: Wrapper });
    await waitFor(() => expect(onError).toHaveBeenCalled());
    expect(onError.mock.calls[0]![0].code).toBe("unsupported");
    expect(screen.getByRole("alert")).toBeTruthy();
    expect(network.requests.every((request) => request.url.endsWith("/session"))).toBe(true);
  });

  it("useSmartbillsToken holds the session, with no token in it", async () => {
    const { Wrapper } = createBffWrapper(createBffNetwork({ session: () => signedInAnswer(60_000) }));
    const { result } = renderHook(() => useSmartbillsToken(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.data).toBeTruthy());
    expect(result.current.data!.accessToken).toBe("");
    expect((result.current.data as unknown as { user: unknown }).user).toEqual(ALICE);
    expect(result.current.data!.refreshToken).toBeUndefined();
  });
});

describe("bff: races", () => {
  it("a /session answer that was on its way when the user logged out does not sign them back in", async () => {
    let release: (response: Response) => void = () => {};
    const network = createBffNetwork({ session: (_r, n) => (n === 1 ? signedInAnswer() : new Promise<Response>((resolve) => (release = resolve))) });
    const { Wrapper } = createBffWrapper(network);
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.status).toBe("authenticated"));
    await act(async () => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(network.to("session")).toHaveLength(2));
    await act(() => result.current.logout());
    expect(result.current.status).toBe("unauthenticated");
    vi.useFakeTimers();
    release(signedInAnswer());
    // Nor does it schedule a refetch before "its" end: the late answer is dropped whole.
    await act(() => vi.advanceTimersByTimeAsync(31 * 60_000));
    vi.useRealTimers();
    expect(result.current.status).toBe("unauthenticated");
    expect(network.to("session")).toHaveLength(2);
  });
});
