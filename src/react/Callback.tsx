import { useEffect, useRef, useState, type ReactNode } from "react";
import { toSmartbillsAuthError, type SmartbillsAuthError } from "../core/errors.js";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** Props of {@link Callback}. */
export interface CallbackProps {
  /** Shown while the code is exchanged. Default: "Signing in…". Announced politely (`role="status"`). */
  loading?: ReactNode;
  /**
   * Renders a failure. Default: a short message saying what to do next (sign in again, or check the
   * connection); for `access_denied` it adds the server's description. Announced at once (`role="alert"`).
   */
  error?: (error: SmartbillsAuthError) => ReactNode;
  /** Called with the sanitised `returnTo` once signed in; replaces the provider's `onRedirectCallback`. */
  onSuccess?: (returnTo: string) => void;
  /** Called once with the failure. */
  onError?: (error: SmartbillsAuthError) => void;
}

/**
 * Mount at the redirect URI's path. It checks the response against the pending login, exchanges
 * the code exactly once (also under StrictMode and re-mounts), removes `code` and `state` from the
 * address bar, stores the token and navigates to the login's `returnTo`.
 *
 * @example
 * ```tsx
 * <Route path="/callback" element={<Callback onSuccess={(to) => navigate(to, { replace: true })} />} />
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function Callback(props: CallbackProps): ReactNode {
  const { loading = "Signing in…", error: renderError = defaultError } = props;
  const { client } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "Callback" : undefined);
  const [failure, setFailure] = useState<SmartbillsAuthError | null>(null);
  // The latest onSuccess and onError, without re-running the effect when they change.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let active = true;
    // Every mount joins the same exchange for this URL: StrictMode's second effect included.
    client.completeCallback(window.location.href).then(
      ({ returnTo }) => {
        if (!active) return;
        const { onSuccess } = latest.current;
        if (onSuccess) onSuccess(returnTo);
        else client.navigate(returnTo);
      },
      (reason: unknown) => {
        if (!active) return;
        const authError = toSmartbillsAuthError(reason, "exchange_failed");
        setFailure(authError);
        latest.current.onError?.(authError);
      },
    );
    return () => {
      active = false;
    };
  }, [client]);

  // A new element for the failure (the key): screen readers announce an alert reliably when it is
  // inserted, not when an existing status region changes its role.
  return (
    <div key={failure ? "error" : "loading"} role={failure ? "alert" : "status"} aria-live={failure ? undefined : "polite"} data-smartbills-callback={failure ? "error" : "loading"}>
      {failure ? renderError(failure) : loading}
    </div>
  );
}

/**
 * The default error view: what end users read. It says what to do next rather than what went
 * wrong; the code and the description stay on the error for `onError` and logs.
 */
function defaultError({ code, description }: SmartbillsAuthError): ReactNode {
  return (
    <p>
      {code === "access_denied"
        ? // The server's own words say why access was denied. Rendered as text by React: a hostile
          // error_description can never become markup.
          `Sign-in was cancelled or refused. ${description || ""}`.trim()
        : code === "network_error"
          ? "Could not reach the server. Check your connection and try again."
          : // A broken, replayed or refused response, a failed exchange, or any other code: only a new sign-in helps.
            "Could not finish signing you in. Please sign in again."}
    </p>
  );
}
