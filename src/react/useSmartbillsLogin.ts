import { useCallback, useSyncExternalStore } from "react";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { ExternalStore } from "./externalStore.js";
import type { LoginOptions } from "./SmartbillsClient.js";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** What {@link useSmartbillsLogin} returns. */
export interface SmartbillsLogin {
  /** Sends the browser to Smartbills to sign in, with a fresh PKCE pair and `state`. */
  login(options?: LoginOptions): Promise<void>;
  /** True from the call until the page has left. */
  isRedirecting: boolean;
  /** Why the last `login()` could not start (no WebCrypto, storage blocked), if it could not. */
  error: SmartbillsAuthError | null;
}

/**
 * Starts a sign-in. A component that only uses this hook does not re-render when the token
 * refreshes.
 *
 * @example
 * ```tsx
 * const { login, isRedirecting } = useSmartbillsLogin()
 * <button onClick={() => login({ returnTo: "/dashboard" })} disabled={isRedirecting}>Sign in</button>
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
 */
export function useSmartbillsLogin(): SmartbillsLogin {
  const { client } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "useSmartbillsLogin" : undefined);
  return {
    login: useCallback((options?: LoginOptions) => client.login(options), [client]),
    isRedirecting: useStore(client.redirecting),
    error: useStore(client.loginError),
  };
}

/**
 * Subscribes to one of the client's stores. The server snapshot is the store's value too: the
 * client is made during the first render, so at hydration its stores still hold their initial
 * values (false, null), exactly what the server rendered.
 */
function useStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
