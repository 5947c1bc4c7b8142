import { useCallback, useSyncExternalStore } from "react";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { LoginOptions } from "./SmartbillsClient.js";
import { useSmartbillsContext } from "./SmartbillsProvider.js";

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
  const { client } = useSmartbillsContext("useSmartbillsLogin");
  const isRedirecting = useSyncExternalStore(client.redirecting.subscribe, client.redirecting.get, () => false);
  const error = useSyncExternalStore(client.loginError.subscribe, client.loginError.get, () => null);
  const login = useCallback((options?: LoginOptions) => client.login(options), [client]);
  return { login, isRedirecting, error };
}
