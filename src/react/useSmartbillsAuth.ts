import { useCallback, useEffect, useMemo, useSyncExternalStore } from "react";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { SmartbillsUser } from "../core/idToken.js";
import { isExpired } from "../core/tokenSet.js";
import type { LogoutOptions } from "./clientTypes.js";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

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
  /**
   * Who is signed in: the claims of the ID token the sign-in returned (checked then: issuer,
   * audience, expiry, nonce), or null without one. Never contains a token.
   */
  user: SmartbillsUser | null;
  /** A valid access token, refreshed first when it is expired or about to be. Rejects with `login_required` when there is no session. */
  getAccessToken(): Promise<string>;
  /**
   * Signs out: revokes the refresh token (bounded, best effort), ends the session in every tab, and
   * with `endSession: true` also at Smartbills (the next sign-in then asks for the password).
   */
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
  const { client } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "useSmartbillsAuth" : undefined);
  const { queryClient } = client;
  // The token query, read from the cache: the client loads and refreshes it itself, so no
  // QueryObserver (nor its code) is needed here. Built as useQuery builds it (options defaulted, so
  // an app's queryKeyHashFn finds the same query): a valid stored token, its initialData, is there
  // at the first render; and the query is built again if the app removed it.
  const queryOptions = queryClient.defaultQueryOptions(client.tokenQueryOptions());
  const cache = queryClient.getQueryCache();
  const { queryHash } = queryOptions;
  // Only this query's events: another component creating its own query while it renders must not
  // make this one check its snapshot in the middle of that render.
  const subscribe = useCallback(
    (onChange: () => void) => cache.subscribe((event) => event.query.queryHash === queryHash && onChange()),
    [cache, queryHash],
  );
  const readData = () => cache.build(queryClient, queryOptions).state.data;
  const readError = () => cache.build(queryClient, queryOptions).state.error;
  // Only these two are read: a consumer re-renders when they change, not for each fetch starting or
  // ending. The server snapshots are what a server render saw (see below), for hydration.
  const data = useSyncExternalStore(subscribe, readData, noData);
  const error = useSyncExternalStore(subscribe, readError, noError);
  // On mount only, as a mounting useQuery would: after a failed first load (offline at page load), a
  // consumer that mounts later loads the session again. A new failure stays in the query for the UI.
  useEffect(() => {
    if (readData() === undefined && readError()) client.getAccessToken().catch(() => {});
  }, [client]);
  // The session's actions: the same functions for as long as the client lives.
  const actions = useMemo(
    () => ({ getAccessToken: () => client.getAccessToken(), logout: (options?: LogoutOptions) => client.logout(options) }),
    [client],
  );

  return useMemo(() => {
    const usable = data && !isExpired(data, Date.now()) ? data : null;
    let status: SmartbillsAuth["status"];
    if (usable) status = "authenticated";
    // Neither a token nor an error: the first load has not finished (the query is pending).
    else if (data === undefined && !error) status = "loading";
    // Expired but refreshable (a laptop waking up): a refresh is due at once, not a new login.
    else if (data && (data.refreshToken || client.config.storage === "cookie") && error?.code !== "network_error") status = "loading";
    else status = "unauthenticated";
    return {
      status,
      isLoading: status === "loading",
      isAuthenticated: !!usable,
      // Null, not "", in the backend-for-frontend mode, whose session holds no token.
      accessToken: (usable && usable.accessToken) || null,
      expiresAt: usable && usable.expiresAt,
      scope: usable?.scope ?? null,
      error,
      user: usable && client.user(usable),
      ...actions,
    };
  }, [client, data, error, actions]);
}

// What the server rendered, where there is no storage: no token, no error (loading). Hydration
// renders this first and the stored session right after, so the HTML never mismatches.
const noData = (): undefined => undefined;
const noError = (): null => null;
