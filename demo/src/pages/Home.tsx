import { LoginButton, useSmartbillsAuth, useSmartbillsLogin } from "../../../src";
import { config } from "../config";
import { Link } from "../router";

/** The start page: what the demo shows, and the sign-in button. */
export function Home() {
  const { isAuthenticated, error: sessionError } = useSmartbillsAuth();
  const { error: loginError } = useSmartbillsLogin();
  // Where to land after signing in. Apps often take it from the URL (`/?returnTo=/reports`), which is
  // exactly what attackers abuse for open redirects: the library keeps only same-origin paths, so
  // `?returnTo=https://evil.example` still lands on this app.
  const returnTo = new URLSearchParams(window.location.search).get("returnTo") ?? "/dashboard";

  return (
    <>
      <section className="card hero">
        <h1>Sign in with Smartbills</h1>
        <p>
          This app signs you in with the OAuth 2.0 authorization code flow and PKCE, keeps your access token fresh, and calls the
          Smartbills API for you. Everything runs on your machine against a local Smartbills authorization server.
        </p>
        {isAuthenticated ? (
          <p>
            You are signed in.{" "}
            <Link href="/dashboard" className="btn primary" data-testid="go-dashboard">
              Open the dashboard
            </Link>
          </p>
        ) : (
          <p>
            <LoginButton className="btn primary" returnTo={returnTo} data-testid="login">
              Sign in with Smartbills
            </LoginButton>
          </p>
        )}
        {loginError && (
          <p className="error" role="alert" data-testid="login-error" data-code={loginError.code}>
            Could not start the sign-in: {loginError.message}
          </p>
        )}
        {sessionError && !isAuthenticated && (
          <p className="error" data-testid="session-error">
            Your last session ended: {sessionError.description ?? sessionError.message}
          </p>
        )}
        <p className="muted small">
          Local test users: <code>alice</code> and <code>bob</code>, with any password.
        </p>
      </section>

      <section className="card">
        <h2>What happens when you click</h2>
        {config.bff && (
          <p className="explain" data-testid="bff-explain">
            This demo runs as a <strong>backend for frontend</strong> (<code>--mode bff</code>): <code>LoginButton</code> sends you to{" "}
            <code>{config.bff}/login</code>, where the server makes the PKCE pair, the <code>state</code> and the <code>nonce</code>. Smartbills
            sends the code back to <code>{config.bff}/callback</code>, and the server exchanges it and keeps every token. This page only gets
            an HttpOnly session cookie. API calls go through <code>{config.bff}/api/…</code>, which adds the access token. The steps below
            describe the token modes.
          </p>
        )}
        <ol className="steps">
          <li>
            <strong>Sign in.</strong> <code>LoginButton</code> makes a fresh PKCE pair and a random <code>state</code>, keeps them in
            this tab's sessionStorage, and sends you to Smartbills' <code>/connect/authorize</code>.
          </li>
          <li>
            <strong>Log in and consent</strong> on Smartbills' own pages: this app never sees your password.
          </li>
          <li>
            <strong>Back at <code>/callback</code></strong> with a one-time <code>code</code>. <code>&lt;Callback/&gt;</code> checks the{" "}
            <code>state</code>, removes the code from the address bar, and exchanges it exactly once{" "}
            {config.exchangeEndpoint ? (
              <>
                through this app's backend endpoint <code>{config.exchangeEndpoint}</code>, which adds the client secret.
              </>
            ) : (
              <>at Smartbills' token endpoint, proving it with the PKCE verifier (a public client has no secret).</>
            )}
          </li>
          <li>
            <strong>Dashboard.</strong> You land where you were going (<code>returnTo</code>). The token is refreshed before it
            expires, and <code>useSmartbillsFetch</code> calls the API with it.
          </li>
          <li>
            <strong>Sign out.</strong> <code>logout()</code> revokes the refresh token at Smartbills{" "}
            {config.exchangeEndpoint ? "(through the backend endpoint, with a DELETE)" : "(at its revocation endpoint)"} and clears every
            tab. <em>Sign out of Smartbills too</em> (<code>logout(&#123; endSession: true &#125;)</code>) also ends your
            Smartbills session, so the next sign-in asks for your password again.
          </li>
        </ol>
      </section>
    </>
  );
}
