import { Callback, LoginButton, type SmartbillsAuthError } from "../../../src";
import { config } from "../config";
import { Link } from "../router";

/**
 * The redirect URI's page. <Callback/> does all the work: it checks the response, exchanges the code
 * once (StrictMode and re-mounts included), stores the token and goes on to `returnTo`.
 */
export function CallbackPage() {
  return (
    <section className="card narrow">
      <Callback
        loading={
          <>
            <h1>Signing you in…</h1>
            <p className="muted" data-testid="callback-loading">
              Smartbills sent you back with a one-time code. It is being exchanged for your tokens
              {config.exchangeEndpoint ? " through this app's backend, which adds the client secret." : " at Smartbills' token endpoint."}
            </p>
          </>
        }
        error={(error) => <CallbackError error={error} />}
      />
    </section>
  );
}

/** What each failure means for the user; `error.code` is stable, so apps can branch on it. */
const explanations: Record<string, string> = {
  access_denied: "The sign-in was cancelled or refused at Smartbills.",
  state_mismatch: "This response does not belong to the sign-in started in this tab, so it was ignored.",
  missing_transaction: "No sign-in is pending in this tab: the link was already used, expired, or opened elsewhere.",
  issuer_mismatch: "The response came from an unexpected authorization server.",
  invalid_callback: "The response from Smartbills is malformed.",
  exchange_failed: "The code could not be exchanged for tokens.",
  network_error: "The backend could not be reached. Check your connection and try again.",
  invalid_id_token: "Smartbills' answer did not prove who signed in (its ID token failed the checks), so nothing was kept.",
};

function CallbackError({ error }: { error: SmartbillsAuthError }) {
  return (
    <div data-testid="callback-error" data-code={error.code}>
      <h1>Sign-in did not complete</h1>
      {/* Rendered as text: an `error_description` from the URL can never become markup. */}
      <p className="error" data-testid="callback-error-message">
        {explanations[error.code] ?? "Smartbills or the backend refused the sign-in."}
      </p>
      {error.description && (
        <p className="muted" data-testid="callback-error-description">
          {error.description}
        </p>
      )}
      <p className="muted small">
        Error code: <code data-testid="callback-error-code">{error.code}</code>. {error.code === "exchange_failed" ? "" : "No code was exchanged for this response."}
      </p>
      <p className="actions">
        <LoginButton className="btn primary" returnTo="/dashboard">
          Sign in again
        </LoginButton>
        <Link href="/dashboard" className="btn" data-testid="callback-to-dashboard">
          Go to the dashboard
        </Link>
        <Link href="/" className="btn ghost">
          Start page
        </Link>
      </p>
    </div>
  );
}
