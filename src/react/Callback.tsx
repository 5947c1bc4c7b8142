import { useEffect, useRef, useState, type ReactNode } from "react";
import { SmartbillsErrorCodes, toSmartbillsAuthError, type SmartbillsAuthError } from "../core/errors.js";
import { useSmartbillsContext } from "./SmartbillsProvider.js";

/** Props of {@link Callback}. */
export interface CallbackProps {
  /** Shown while the code is exchanged. Default: "Signing in…". Announced politely (`role="status"`). */
  loading?: ReactNode;
  /** Renders a failure. Default: a short message. Announced at once (`role="alert"`). */
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
export function Callback({ loading = "Signing in…", error: renderError = defaultError, onSuccess, onError }: CallbackProps): ReactNode {
  const { client } = useSmartbillsContext("Callback");
  const [failure, setFailure] = useState<SmartbillsAuthError | null>(null);
  const handlers = useRef({ onSuccess, onError });
  handlers.current = { onSuccess, onError };

  useEffect(() => {
    let active = true;
    // Every mount joins the same exchange for this URL: StrictMode's second effect included.
    client.completeCallback(window.location.href).then(
      ({ returnTo }) => {
        if (!active) return;
        if (handlers.current.onSuccess) handlers.current.onSuccess(returnTo);
        else client.navigate(returnTo);
      },
      (reason: unknown) => {
        if (!active) return;
        const authError = toSmartbillsAuthError(reason, SmartbillsErrorCodes.EXCHANGE_FAILED);
        setFailure(authError);
        handlers.current.onError?.(authError);
      },
    );
    return () => {
      active = false;
    };
  }, [client]);

  if (failure) {
    return (
      <div role="alert" data-smartbills-callback="error">
        {renderError(failure)}
      </div>
    );
  }
  return (
    <div role="status" aria-live="polite" data-smartbills-callback="loading">
      {loading}
    </div>
  );
}

const messages: Record<string, string> = {
  access_denied: "Sign-in was cancelled or refused.",
  exchange_failed: "We could not finish signing you in. Please sign in again.",
  invalid_response: "The sign-in service gave an unexpected answer. Please try again later.",
  state_mismatch: "This sign-in response does not match the sign-in started here. Please sign in again.",
  missing_transaction: "No sign-in is pending in this tab. It may have expired or already completed. Please sign in again.",
  issuer_mismatch: "The sign-in response came from an unexpected server.",
  invalid_callback: "The sign-in response is malformed.",
  missing_code: "The sign-in response has no authorization code.",
  network_error: "Could not reach the server to finish signing in. Check your connection and try again.",
};

function defaultError(error: SmartbillsAuthError): ReactNode {
  // Rendered as text by React: a hostile error_description can never become markup.
  const message = messages[error.code];
  // The server's own words help with a refusal (why access was denied); for our own codes they are
  // developer detail, kept on the error for onError and logs.
  if (!message || error.code === "access_denied") {
    return <p>{message ?? "Sign-in failed."} {error.description ? <span>{error.description}</span> : null}</p>;
  }
  return <p>{message}</p>;
}
