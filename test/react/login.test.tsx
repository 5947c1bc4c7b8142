import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import { LoginButton } from "../../src/react/LoginButton";
import { useSmartbillsLogin } from "../../src/react/useSmartbillsLogin";
import { CLIENT_ID, createRecordingFetch, createWrapper, tokenResponse } from "./helpers";

const b64url = (buf: Buffer) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function pendingTransactions() {
  return Object.keys(window.sessionStorage)
    .filter((key) => key.startsWith(`smartbills.tx.${CLIENT_ID}.`))
    .map((key) => JSON.parse(window.sessionStorage.getItem(key)!) as { state: string; codeVerifier: string; returnTo: string; redirectUri: string; nonce?: string });
}

async function loginAndCapture(result: { current: ReturnType<typeof useSmartbillsLogin> }, options: Parameters<ReturnType<typeof useSmartbillsLogin>["login"]>[0] = {}) {
  let opened = "";
  await act(() => result.current.login({ ...options, openUrl: (url) => void (opened = url) }));
  return new URL(opened);
}

describe("useSmartbillsLogin", () => {
  it("sends the browser to the authorize URL with exactly the flow's parameters", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const url = await loginAndCapture(result);
    expect(`${url.origin}${url.pathname}`).toBe("https://api.smartbills.io/connect/authorize");
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "code_challenge", "code_challenge_method", "nonce", "redirect_uri", "response_type", "scope", "state"]);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(url.searchParams.get("redirect_uri")).toBe(`${window.location.origin}/callback`);
    expect(url.searchParams.get("scope")).toBe("openid offline_access");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(result.current.isRedirecting).toBe(true);
  });

  it("derives the challenge from the stored verifier with SHA-256, never putting the verifier in the URL", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const url = await loginAndCapture(result);
    const [tx] = pendingTransactions();
    expect(tx!.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url.searchParams.get("code_challenge")).toBe(b64url(createHash("sha256").update(tx!.codeVerifier).digest()));
    expect(url.href).not.toContain(tx!.codeVerifier);
    expect(url.searchParams.get("state")).toBe(tx!.state);
    expect(tx!.state.length).toBeGreaterThanOrEqual(43);
  });

  it("sends a fresh nonce of 256 bits with an openid login, kept in the transaction, and none without openid", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const first = await loginAndCapture(result);
    const second = await loginAndCapture(result);
    const nonces = [first, second].map((url) => url.searchParams.get("nonce"));
    expect(nonces[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonces[1]).not.toBe(nonces[0]);
    expect(nonces[0]).not.toBe(first.searchParams.get("state"));
    expect(pendingTransactions().map((tx) => tx.nonce).sort()).toEqual([...nonces].sort());
    const withoutOpenid = await loginAndCapture(result, { scope: "receipts:read" });
    expect(withoutOpenid.searchParams.has("nonce")).toBe(false);
  });

  it("refuses a nonce in extraParams: the flow owns it", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    await expect(result.current.login({ extraParams: { nonce: "attacker" } })).rejects.toThrow(TypeError);
  });

  it("makes a fresh verifier, challenge and state for every login, each kept under its own state", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const first = await loginAndCapture(result);
    const second = await loginAndCapture(result);
    expect(first.searchParams.get("code_challenge")).not.toBe(second.searchParams.get("code_challenge"));
    expect(first.searchParams.get("state")).not.toBe(second.searchParams.get("state"));
    const txs = pendingTransactions();
    expect(txs).toHaveLength(2);
    expect(txs[0]!.state).not.toBe(txs[0]!.codeVerifier);
  });

  it("defaults returnTo to the current path and sanitises a foreign one to /", async () => {
    window.history.replaceState(null, "", "/orders?page=2#top");
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    await loginAndCapture(result);
    await loginAndCapture(result, { returnTo: "//evil.com/steal" });
    const returnTos = pendingTransactions().map((tx) => tx.returnTo).sort();
    expect(returnTos).toEqual(["/", "/orders?page=2#top"]);
  });

  it("cannot be made to add or override a protected parameter through returnTo or extraParams", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const url = await loginAndCapture(result, { returnTo: "/x&redirect_uri=https://evil", extraParams: { ui_locales: "fr&state=evil" }, loginHint: "a&client_id=evil" });
    for (const name of ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"]) {
      expect(url.searchParams.getAll(name)).toHaveLength(1);
    }
    expect(url.searchParams.get("redirect_uri")).toBe(`${window.location.origin}/callback`);
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(url.searchParams.get("ui_locales")).toBe("fr&state=evil");
    for (const key of ["redirect_uri", "state", "client_id", "code_challenge", "code_challenge_method", "response_type"]) {
      await act(async () => {
        await expect(result.current.login({ extraParams: { [key]: "evil" }, openUrl: () => {} })).rejects.toThrow(TypeError);
      });
    }
  });

  it("rejects with unsupported_environment and does not navigate when WebCrypto is missing", async () => {
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => a });
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const openUrl = vi.fn();
    await act(async () => {
      await expect(result.current.login({ openUrl })).rejects.toMatchObject({ name: "SmartbillsAuthError", code: "unsupported_environment" });
    });
    expect(openUrl).not.toHaveBeenCalled();
    expect(pendingTransactions()).toHaveLength(0);
    expect(result.current.isRedirecting).toBe(false);
    expect(result.current.error?.code).toBe("unsupported_environment");
  });

  it("sends each login's own verifier when two logins are in flight and the first completes", async () => {
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const first = await loginAndCapture(result);
    await loginAndCapture(result);
    const firstTx = pendingTransactions().find((tx) => tx.state === first.searchParams.get("state"))!;
    window.history.replaceState(null, "", `/callback?code=abc&state=${firstTx.state}`);
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper: CallbackWrapper } = createWrapper({ fetch });
    const onSuccess = vi.fn();
    render(<Callback onSuccess={onSuccess} />, { wrapper: CallbackWrapper });
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(fetch.requests[0]!.body.get("code_verifier")).toBe(firstTx.codeVerifier);
    expect(pendingTransactions()).toHaveLength(1);
  });
});

describe("LoginButton", () => {
  it("is a real button with an accessible name that passes props through", () => {
    const { Wrapper } = createWrapper();
    render(<LoginButton className="btn" data-testid="login" aria-describedby="x">Sign in with Smartbills</LoginButton>, { wrapper: Wrapper });
    const button = screen.getByRole("button", { name: "Sign in with Smartbills" });
    expect(button.className).toBe("btn");
    expect(button.getAttribute("type")).toBe("button");
    expect(button.getAttribute("aria-describedby")).toBe("x");
  });

  it("starts a login on click and is aria-disabled (still focusable) while redirecting, ignoring more clicks", async () => {
    const { Wrapper } = createWrapper();
    render(<LoginButton returnTo="/after">Sign in</LoginButton>, { wrapper: Wrapper });
    const button = screen.getByRole("button", { name: "Sign in" });
    await act(async () => button.click());
    await waitFor(() => expect(button.getAttribute("aria-disabled")).toBe("true"));
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect((button as HTMLButtonElement).disabled).toBe(false);
    await act(async () => button.click());
    expect(pendingTransactions().map((tx) => tx.returnTo)).toEqual(["/after"]);
  });

  it("does not start a login when the onClick handler prevents the default", async () => {
    const { Wrapper } = createWrapper();
    render(<LoginButton onClick={(event) => event.preventDefault()}>Sign in</LoginButton>, { wrapper: Wrapper });
    await act(async () => screen.getByRole("button").click());
    expect(pendingTransactions()).toHaveLength(0);
  });

  it("reports a login that cannot start through onLoginError", async () => {
    vi.stubGlobal("crypto", undefined);
    const onLoginError = vi.fn();
    const { Wrapper } = createWrapper();
    render(<LoginButton onLoginError={onLoginError}>Sign in</LoginButton>, { wrapper: Wrapper });
    await act(async () => screen.getByRole("button").click());
    await waitFor(() => expect(onLoginError).toHaveBeenCalledWith(expect.objectContaining({ code: "unsupported_environment" })));
    expect(screen.getByRole("button").getAttribute("aria-disabled")).toBeNull();
  });
});
