import { useCallback, useMemo } from "react";
import { SmartbillsErrorCodes, type SmartbillsAuthError } from "../core/errors.js";
import { isExpired } from "../core/tokenSet.js";
import type { LogoutOptions } from "./SmartbillsClient.js";
import { useSmartbillsContext } from "./SmartbillsProvider.js";
import { useSmartbillsToken } from "./useSmartbillsToken.js";

/** The signed-in state and the session's actions. */
export interface SmartbillsAuth {
  status: "loading" | "authenticated" | "unauthenticated";
  isLoading: boolean;
  isAuthenticated: boolean;
  /** The current access token, or null. Prefer `getAccessToken()` for calls: it refreshes first. */
  accessToken: string | null;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt: number | null;
  /** The scopes granted. */
  scope: string | null;
  /** Why the session failed or ended, if it did. */
  error: SmartbillsAuthError | null;
  /** A valid access token, refreshed first when it is expired or about to be. Rejects with `login_required` when there is no session. */
  getAccessToken(): Promise<string>;
  /** Ends the session in this app: clears the query cache, storage and pending logins. */
  logout(options?: LogoutOptions): Promise<void>;
}

/**
 * The session, for rendering: who is signed in and how to get a fresh token.
 *
 * @example
 * ```tsx
 * const { isAuthenticated, getAccessToken, logout } = useSmartbillsAuth()
 * ```
 */
export function useSmartbillsAuth(): SmartbillsAuth {
  const { client } = useSmartbillsContext("useSmartbillsAuth");
  const { data, error, isPending } = useSmartbillsToken();
  const getAccessToken = useCallback(() => client.getAccessToken(), [client]);
  const logout = useCallback((options?: LogoutOptions) => client.logout(options), [client]);

  return useMemo(() => {
    const usable = data && !isExpired(data, Date.now()) ? data : null;
    let status: SmartbillsAuth["status"];
    if (usable) status = "authenticated";
    else if (isPending && !error) status = "loading";
    // Expired but refreshable (a laptop waking up): a refresh is due at once, not a new login.
    else if (data && (data.refreshToken || client.config.storage === "cookie") && (!error || error.code !== SmartbillsErrorCodes.NETWORK_ERROR)) status = "loading";
    else status = "unauthenticated";
    return {
      status,
      isLoading: status === "loading",
      isAuthenticated: status === "authenticated",
      accessToken: usable?.accessToken ?? null,
      expiresAt: usable?.expiresAt ?? null,
      scope: usable?.scope ?? null,
      error: error ?? null,
      getAccessToken,
      logout,
    };
  }, [client, data, error, isPending, getAccessToken, logout]);
}
