import { useEffect, useRef, useState, type ReactNode } from "react";
import { DEV } from "../core/dev.js";
import { toSmartbillsAuthError, type SmartbillsAuthError } from "../core/errors.js";
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
export function Callback(props: CallbackProps): ReactNode {
  const { loading = "Signing in…", error: renderError = defaultError } = props;
  const { client } = useSmartbillsContext(DEV ? "Callback" : undefined);
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

  // One element: React would reuse the same <div> across the two states anyway.
  return (
    <div role={failure ? "alert" : "status"} aria-live={failure ? undefined : "polite"} data-smartbills-callback={failure ? "error" : "loading"}>
      {failure ? renderError(failure) : loading}
    </div>
  );
}

/** The default error messages, by code: what end users read. */
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

function defaultError({ code, description }: SmartbillsAuthError): ReactNode {
  const message = messages[code];
  const text = message || "Sign-in failed.";
  // The server's own words help with a refusal (why access was denied) or an unknown code; for our
  // own codes they are developer detail, kept on the error for onError and logs. Rendered as text
  // by React: a hostile error_description can never become markup.
  return <p>{description && (!message || code === "access_denied") ? `${text} ${description}` : text}</p>;
}
