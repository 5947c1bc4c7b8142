import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { DEV } from "../core/dev.js";
import type { SmartbillsAuthError } from "../core/errors.js";
import { isExpired } from "../core/tokenSet.js";
import type { LogoutOptions } from "./SmartbillsClient.js";
import { useSmartbillsContext } from "./SmartbillsProvider.js";

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
  const { client } = useSmartbillsContext(DEV ? "useSmartbillsAuth" : undefined);
  // useSmartbillsToken's query, called directly (the context is already read). Only these three
  // fields are read: react-query re-renders this hook for changes to them alone.
  const { data, error, isPending } = useQuery(client.tokenQueryOptions(), client.queryClient);
  // The session's actions: the same functions for as long as the client lives.
  const actions = useMemo(
    () => ({ getAccessToken: () => client.getAccessToken(), logout: (options?: LogoutOptions) => client.logout(options) }),
    [client],
  );

  return useMemo(() => {
    const usable = data && !isExpired(data, Date.now()) ? data : null;
    let status: SmartbillsAuth["status"];
    if (usable) status = "authenticated";
    else if (isPending && !error) status = "loading";
    // Expired but refreshable (a laptop waking up): a refresh is due at once, not a new login.
    else if (data && (data.refreshToken || client.config.storage === "cookie") && error?.code !== "network_error") status = "loading";
    else status = "unauthenticated";
    return {
      status,
      isLoading: status === "loading",
      isAuthenticated: !!usable,
      accessToken: usable && usable.accessToken,
      expiresAt: usable && usable.expiresAt,
      scope: usable?.scope ?? null,
      error,
      ...actions,
    };
  }, [client, data, error, isPending, actions]);
}
