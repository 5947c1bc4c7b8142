import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import type { SmartbillsAuthError } from "../../src/core/errors";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { arrangeCallback, CLIENT_ID, createRecordingFetch, createWrapper, jsonResponse, storeToken, tokenResponse } from "./helpers";

const STATE = "s".repeat(43);
const OTHER = "o".repeat(43);

async function renderCallback(fetch: ReturnType<typeof createRecordingFetch>) {
  const onError = vi.fn<(e: SmartbillsAuthError) => void>();
  const onSuccess = vi.fn();
  const { Wrapper, queryClient } = createWrapper({ fetch });
  render(<Callback onError={onError} onSuccess={onSuccess} error={(e) => <span data-testid="error">{e.code}|{e.description}</span>} />, { wrapper: Wrapper });
  await waitFor(() => expect(onError).toHaveBeenCalled(), { timeout: 2000 });
  return { onError, onSuccess, error: onError.mock.calls[0]![0], queryClient };
}

const noStoredToken = () => expect(window.sessionStorage.getItem(`smartbills.token.${CLIENT_ID}`)).toBeNull();

describe("Callback refuses hostile or broken responses and sends nothing", () => {
  const cases: { name: string; arrange: () => void; code: string }[] = [
    { name: "a state that matches no pending login while another is pending", arrange: () => arrangeCallback({ state: OTHER, search: `?code=c&state=${STATE}` }), code: "state_mismatch" },
    { name: "a missing state while a login is pending", arrange: () => arrangeCallback({ search: "?code=c" }), code: "state_mismatch" },
    { name: "a callback with no pending login at all", arrange: () => window.history.replaceState(null, "", `/callback?code=c&state=${STATE}`), code: "missing_transaction" },
    { name: "a pending login older than 10 minutes", arrange: () => {
      arrangeCallback();
      const key = `smartbills.tx.${CLIENT_ID}.${STATE}`;
      const tx = JSON.parse(window.sessionStorage.getItem(key)!);
      window.sessionStorage.setItem(key, JSON.stringify({ ...tx, createdAt: Date.now() - 11 * 60 * 1000 }));
    }, code: "missing_transaction" },
    { name: "a repeated code", arrange: () => arrangeCallback({ search: `?code=a&code=b&state=${STATE}` }), code: "invalid_callback" },
    { name: "a repeated state", arrange: () => arrangeCallback({ search: `?code=a&state=${STATE}&state=${STATE}` }), code: "invalid_callback" },
    { name: "code together with error", arrange: () => arrangeCallback({ search: `?code=a&error=access_denied&state=${STATE}` }), code: "invalid_callback" },
    { name: "neither code nor error", arrange: () => arrangeCallback({ search: `?state=${STATE}` }), code: "missing_code" },
    { name: "an iss that is not the issuer", arrange: () => arrangeCallback({ search: `?code=a&state=${STATE}&iss=https%3A%2F%2Fevil` }), code: "issuer_mismatch" },
    { name: "error=access_denied from the server", arrange: () => arrangeCallback({ search: `?error=access_denied&error_description=The+user+said+no&state=${STATE}` }), code: "access_denied" },
  ];

  for (const { name, arrange, code } of cases) {
    it(`answers ${code} to ${name}`, async () => {
      arrange();
      const fetch = createRecordingFetch(() => tokenResponse());
      const { error, onSuccess } = await renderCallback(fetch);
      expect(error.code).toBe(code);
      expect(error.name).toBe("SmartbillsAuthError");
      expect(fetch.requests).toHaveLength(0);
      expect(onSuccess).not.toHaveBeenCalled();
      expect(window.location.search).not.toMatch(/code=|state=/);
      noStoredToken();
      expect(screen.getByRole("alert").textContent).toContain(code);
    });
  }

  it("accepts an iss equal to the issuer with one trailing slash", async () => {
    arrangeCallback({ search: `?code=a&state=${STATE}&iss=${encodeURIComponent("https://api.smartbills.io/")}` });
    const fetch = createRecordingFetch(() => tokenResponse());
    const onSuccess = vi.fn();
    const { Wrapper } = createWrapper({ fetch });
    render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("/dashboard"));
    expect(fetch.requests).toHaveLength(1);
  });

  it("shows a hostile error_description as text only and survives a malformed escape", async () => {
    arrangeCallback({ search: `?error=access_denied&error_description=<img src=x onerror=alert(1)>%E0%A4%A&state=${STATE}` });
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch });
    const { container } = render(<Callback />, { wrapper: Wrapper });
    await waitFor(() => expect(screen.getByRole("alert")).toBeTruthy());
    expect(container.querySelector("img")).toBeNull();
    expect(fetch.requests).toHaveLength(0);
  });

  it("shows by default what to do next, and the server's words only for a refusal", async () => {
    const alertFor = async (search: string) => {
      arrangeCallback({ search });
      const { Wrapper } = createWrapper({ fetch: createRecordingFetch(() => tokenResponse()) });
      const { unmount } = render(<Callback />, { wrapper: Wrapper });
      const text = (await screen.findByRole("alert")).textContent;
      unmount();
      return text;
    };
    expect(await alertFor(`?error=access_denied&error_description=The+user+said+no&state=${STATE}`)).toBe("Sign-in was cancelled or refused. The user said no");
    expect(await alertFor(`?error=access_denied&state=${STATE}`)).toBe("Sign-in was cancelled or refused.");
    // Any other code, the server's own included: its description is developer detail, kept on the error.
    expect(await alertFor(`?error=server_error&error_description=Stack+trace&state=${STATE}`)).toBe("Could not finish signing you in. Please sign in again.");
    expect(await alertFor(`?code=a&state=${STATE}&iss=https%3A%2F%2Fevil`)).toBe("Could not finish signing you in. Please sign in again.");
  });

  it("keeps the server's error_description on the error", async () => {
    arrangeCallback({ search: `?error=access_denied&error_description=<img src=x onerror=alert(1)>&state=${STATE}` });
    const { error } = await renderCallback(createRecordingFetch(() => tokenResponse()));
    expect(error.description).toBe("<img src=x onerror=alert(1)>");
    expect(screen.getByTestId("error").querySelector("img")).toBeNull();
  });
});

describe("Callback turns each exchange failure into a typed error and stores no token", () => {
  const failures: { name: string; respond: () => Response | Promise<Response>; code: string; status?: number }[] = [
    { name: "a 400 invalid_grant", respond: () => jsonResponse({ error: "invalid_grant", error_description: "code expired" }, 400), code: "exchange_failed", status: 400 },
    { name: "a 500 HTML page", respond: () => new Response("<html>boom</html>", { status: 500, headers: { "Content-Type": "text/html" } }), code: "exchange_failed", status: 500 },
    { name: "a network failure", respond: () => Promise.reject(new TypeError("Failed to fetch")), code: "network_error" },
    { name: "a 200 that is not JSON", respond: () => new Response("ok", { status: 200 }), code: "invalid_response" },
    { name: "a 200 without access_token", respond: () => jsonResponse({ token_type: "Bearer", expires_in: 60 }), code: "invalid_response" },
    { name: "a token_type other than Bearer", respond: () => jsonResponse({ access_token: "x", token_type: "mac", expires_in: 60 }), code: "invalid_response" },
  ];

  for (const { name, respond, code, status } of failures) {
    it(`answers ${code} to ${name}`, async () => {
      arrangeCallback();
      const fetch = createRecordingFetch(respond);
      const { error, queryClient } = await renderCallback(fetch);
      expect(error.code).toBe(code);
      if (status) expect(error.status).toBe(status);
      expect(fetch.requests).toHaveLength(1);
      noStoredToken();
      expect(queryClient.getQueryData(["smartbills", "token", CLIENT_ID]) ?? null).toBeNull();
      expect(screen.getByTestId("error").textContent).toContain(code);
      expect(String(error)).not.toContain("the-code-123");
      expect(JSON.stringify(error)).not.toContain("the-code-123");
    });
  }

  it("answers a replayed callback URL with missing_transaction and no second request", async () => {
    arrangeCallback();
    const fetch = createRecordingFetch(() => tokenResponse());
    const onSuccess = vi.fn();
    const { Wrapper } = createWrapper({ fetch });
    const first = render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    first.unmount();
    // A new page load with the same URL (the back button, a bookmarked callback).
    const { resetCallbackRegistry } = await import("../../src/react/callbackRegistry");
    resetCallbackRegistry();
    window.history.replaceState(null, "", `/callback?code=the-code-123&state=${STATE}`);
    const { error } = await renderCallback(fetch);
    expect(error.code).toBe("missing_transaction");
    expect(fetch.requests).toHaveLength(1);
  });

  it("exchanges once when the Callback is re-mounted during the exchange", async () => {
    arrangeCallback();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = createRecordingFetch(async () => {
      await gate;
      return tokenResponse();
    });
    const onSuccess = vi.fn();
    const { Wrapper } = createWrapper({ fetch });
    const first = render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    first.unmount();
    render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    release();
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("a refused callback and the session this tab already has", () => {
  /** A replayed callback URL (no pending login) rendered beside a useSmartbillsAuth consumer. */
  async function refusedCallbackBesideAuth() {
    window.history.replaceState(null, "", `/callback?code=the-code-123&state=${STATE}`);
    const fetch = createRecordingFetch(() => tokenResponse());
    const onError = vi.fn<(e: SmartbillsAuthError) => void>();
    const { Wrapper } = createWrapper({ fetch });
    const seen: { auth?: ReturnType<typeof useSmartbillsAuth> } = {};
    function Status() {
      seen.auth = useSmartbillsAuth();
      return null;
    }
    render(
      <>
        <Callback onError={onError} />
        <Status />
      </>,
      { wrapper: Wrapper },
    );
    await waitFor(() => expect(onError).toHaveBeenCalled(), { timeout: 2000 });
    expect(onError.mock.calls[0]![0].code).toBe("missing_transaction");
    return { seen, fetch };
  }

  it("keeps a stored session signed in, with no session error, when a replayed callback URL is refused", async () => {
    storeToken({ accessToken: "still-mine" });
    const { seen, fetch } = await refusedCallbackBesideAuth();
    await waitFor(() => expect(seen.auth?.status).toBe("authenticated"), { timeout: 2000 });
    expect(seen.auth?.accessToken).toBe("still-mine");
    expect(seen.auth?.error).toBeNull();
    expect(fetch.requests).toHaveLength(0);
  });

  it("leaves a tab with no stored session signed out, the reason shown by the Callback only", async () => {
    const { seen } = await refusedCallbackBesideAuth();
    await waitFor(() => expect(seen.auth?.status).toBe("unauthenticated"), { timeout: 2000 });
    expect(seen.auth?.error).toBeNull();
    expect(screen.getByRole("alert").textContent).toMatch(/sign in again/i);
  });
});

describe("how a failure is announced", () => {
  it("inserts a new role=alert element for the failure instead of re-labelling the status region", async () => {
    window.history.replaceState(null, "", `/callback?code=the-code-123&state=${STATE}`);
    const onError = vi.fn();
    const { Wrapper } = createWrapper({ fetch: createRecordingFetch(() => tokenResponse()) });
    render(<Callback onError={onError} />, { wrapper: Wrapper });
    const status = screen.getByRole("status");
    await waitFor(() => expect(onError).toHaveBeenCalled(), { timeout: 2000 });
    const alert = screen.getByRole("alert");
    expect(alert).not.toBe(status);
    expect(status.isConnected).toBe(false);
  });
});
