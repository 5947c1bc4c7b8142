/** Who is signed in: the ID token is checked at the callback and on every refresh before anything is kept. */
import { act, render, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { SmartbillsAuthError } from "../../src/core/errors";
import { Callback } from "../../src/react/Callback";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { arrangeCallback, CLIENT_ID, createRecordingFetch, createWrapper, storeToken, tokenResponse } from "./helpers";
import { idTokenClaims, makeJwt } from "./jwt";

const NONCE = "n".repeat(43);
const storedToken = () => window.sessionStorage.getItem(`smartbills.token.${CLIENT_ID}`);

/** A pending login with a nonce, as login() leaves it. */
function arrangeOpenidCallback() {
  const { state } = arrangeCallback();
  const key = `smartbills.tx.${CLIENT_ID}.${state}`;
  window.sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(window.sessionStorage.getItem(key)!), nonce: NONCE }));
}

async function signIn(idToken: string | undefined) {
  arrangeOpenidCallback();
  const fetch = createRecordingFetch(() => tokenResponse(idToken === undefined ? {} : { id_token: idToken }));
  const onError = vi.fn<(error: SmartbillsAuthError) => void>();
  const onSuccess = vi.fn();
  const { Wrapper } = createWrapper({ fetch });
  const auth = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
  render(<Callback onError={onError} onSuccess={onSuccess} />, { wrapper: Wrapper });
  await waitFor(() => expect(onError.mock.calls.length + onSuccess.mock.calls.length).toBeGreaterThan(0), { timeout: 2000 });
  return { onError, onSuccess, auth, fetch };
}

describe("the ID token at the callback", () => {
  it("makes useSmartbillsAuth().user the token's claims, with no token in it", async () => {
    const { onSuccess, auth } = await signIn(makeJwt(idTokenClaims({ nonce: NONCE })));
    expect(onSuccess).toHaveBeenCalled();
    await waitFor(() => expect(auth.result.current.user).toMatchObject({ sub: "user-1", name: "Ada Lovelace", email: "ada@example.com" }));
    expect(JSON.stringify(auth.result.current.user)).not.toMatch(/at-\d|rt-\d/);
  });

  it("leaves user null when the server sent no ID token", async () => {
    const { onSuccess, auth } = await signIn(undefined);
    expect(onSuccess).toHaveBeenCalled();
    await waitFor(() => expect(auth.result.current.isAuthenticated).toBe(true));
    expect(auth.result.current.user).toBeNull();
  });

  const hostile: [string, string][] = [
    ["is not a JWT", "not-a-jwt"],
    ["is meant for another client", makeJwt(idTokenClaims({ nonce: NONCE, aud: "other-client" }))],
    ["has several audiences and no azp", makeJwt(idTokenClaims({ nonce: NONCE, aud: ["test-client", "other-client"] }))],
    ["carries another login's nonce", makeJwt(idTokenClaims({ nonce: "x".repeat(43) }))],
    ["carries no nonce although the login sent one", makeJwt(idTokenClaims())],
    ["comes from another issuer", makeJwt(idTokenClaims({ nonce: NONCE, iss: "https://evil.example" }))],
    ["has expired", makeJwt(idTokenClaims({ nonce: NONCE, exp: Math.floor(Date.now() / 1000) - 10 }))],
    ["was issued an hour in the future", makeJwt(idTokenClaims({ nonce: NONCE, iat: Math.floor(Date.now() / 1000) + 3600 }))],
  ];
  for (const [name, idToken] of hostile) {
    it(`refuses a sign-in whose ID token ${name} with invalid_id_token, storing nothing`, async () => {
      const { onError, onSuccess, auth } = await signIn(idToken);
      expect(onSuccess).not.toHaveBeenCalled();
      expect(onError.mock.calls[0]![0].code).toBe("invalid_id_token");
      expect(storedToken()).toBeNull();
      expect(auth.result.current.isAuthenticated).toBe(false);
      expect(auth.result.current.user).toBeNull();
    });
  }
});

describe("the ID token on refresh", () => {
  const due = () => ({ expiresAt: Date.now() + 10_000, issuedAt: Date.now() - 3_590_000 });
  const storeSession = () => {
    const stored = storeToken(due());
    window.sessionStorage.setItem(`smartbills.token.${CLIENT_ID}`, JSON.stringify({ ...stored, idToken: makeJwt(idTokenClaims({ nonce: NONCE })) }));
  };

  it("keeps the session when the new ID token names the same user, and takes its claims", async () => {
    storeSession();
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "new-at", id_token: makeJwt(idTokenClaims({ name: "Ada K." })) }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.accessToken).toBe("new-at"));
    expect(result.current.user).toMatchObject({ sub: "user-1", name: "Ada K." });
  });

  it("keeps the claims when the refresh brings no ID token", async () => {
    storeSession();
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "new-at" }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.accessToken).toBe("new-at"));
    expect(result.current.user).toMatchObject({ sub: "user-1", name: "Ada Lovelace" });
  });

  it("ends the session with invalid_id_token when the refreshed ID token names another user", async () => {
    storeSession();
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "swapped-at", id_token: makeJwt(idTokenClaims({ sub: "user-2" })) }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.error?.code).toBe("invalid_id_token"));
    expect(result.current.status).toBe("unauthenticated");
    expect(result.current.accessToken).toBeNull();
    expect(storedToken()).toBeNull();
    await act(() => expect(result.current.getAccessToken()).rejects.toMatchObject({ code: "login_required" }));
  });
});
