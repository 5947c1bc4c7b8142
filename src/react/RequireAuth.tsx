import { useEffect, useRef, type ReactNode } from "react";
import type { LoginOptions } from "./SmartbillsClient.js";
import { useSmartbillsAuth } from "./useSmartbillsAuth.js";
import { useSmartbillsLogin } from "./useSmartbillsLogin.js";

/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  children?: ReactNode;
  /** Shown while loading or redirecting to sign in. Default: nothing. */
  fallback?: ReactNode;
  /** Options of the login it starts; `returnTo` defaults to the current path. */
  loginOptions?: Omit<LoginOptions, "openUrl">;
}

/**
 * Renders its children only for a signed-in user; otherwise starts the sign-in, returning here
 * afterwards. Offline (`network_error`) it shows the fallback instead of bouncing to a login page
 * that cannot load.
 *
 * @example
 * ```tsx
 * <RequireAuth fallback={<p>Redirecting…</p>}><Dashboard /></RequireAuth>
 * ```
 */
export function RequireAuth({ children, fallback = null, loginOptions }: RequireAuthProps): ReactNode {
  const { status, error } = useSmartbillsAuth();
  const { login } = useSmartbillsLogin();
  const started = useRef(false);

  useEffect(() => {
    if (status !== "unauthenticated" || started.current || error?.code === "network_error") return;
    started.current = true;
    const { pathname, search, hash } = window.location;
    login({ ...loginOptions, returnTo: loginOptions?.returnTo ?? pathname + search + hash }).catch(() => {
      // Kept in useSmartbillsLogin().error for the app to show.
      started.current = false;
    });
  }, [status, error, login, loginOptions]);

  return status === "authenticated" ? children : fallback;
}
