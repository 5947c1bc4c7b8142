import { useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { RequireAuth, SmartbillsProvider, useSmartbillsAuth } from "../../src";
import { AccountProvider, useAccount, useAccountState } from "./account";
import { config } from "./config";
import { CallbackPage } from "./pages/CallbackPage";
import { Dashboard } from "./pages/Dashboard";
import { Home } from "./pages/Home";
import { Link, navigate, usePathname } from "./router";

// Computed once: an inline array would be fine too (the provider compares by content).
const apiOrigins = [new URL(config.apiUrl).origin];

export function App() {
  const accountState = useAccountState();
  const content = (
    <AccountProvider value={accountState}>
      <Layout>
        <Routes />
      </Layout>
    </AccountProvider>
  );
  if (config.bff) {
    return (
      <SmartbillsProvider
        // Backend for frontend (`--mode bff`): the server signs in, keeps every token and forwards the API
        // calls; this page holds only an HttpOnly session cookie. No client id, no exchange endpoint.
        bff={config.bff}
        // Only to know which URLs are the Smartbills API: they are sent to `${bff}/api/…` instead.
        authority={config.authority}
        onBehalfOf={accountState.account}
        accountHeader={config.accountHeader}
        onRedirectCallback={(returnTo) => navigate(returnTo, { replace: true })}
      >
        {content}
      </SmartbillsProvider>
    );
  }
  return (
    <SmartbillsProvider
      clientId={config.clientId}
      authority={config.authority}
      // With `--shape smartbills`: the endpoints come from `${authority}/.well-known/openid-configuration`.
      discovery={config.discovery}
      // Confidential client: the code goes to your backend, which adds the secret. Leave it out for a
      // public client (PKCE only): the browser then posts to `${authority}/connect/token` itself.
      exchangeEndpoint={config.exchangeEndpoint}
      // "session" (the default) unless the demo was started with --storage.
      storage={config.storage}
      // Where useSmartbillsFetch may send the access token (besides this origin and the authority's).
      apiOrigins={apiOrigins}
      // Which connected account the API calls act for, sent in the `accountHeader` (default `on-behalf-of`).
      onBehalfOf={accountState.account}
      accountHeader={config.accountHeader}
      // After the callback (and logout), go to `returnTo` with our router: no page load.
      onRedirectCallback={(returnTo) => navigate(returnTo, { replace: true })}
    >
      {content}
    </SmartbillsProvider>
  );
}

function Routes() {
  const pathname = usePathname();
  switch (pathname) {
    case "/":
      return <Home />;
    // The redirect URI: `${location.origin}/callback` by default. Register it with Smartbills exactly.
    case "/callback":
      return <CallbackPage />;
    case "/dashboard":
      return (
        // Not signed in? RequireAuth starts the sign-in and comes back here afterwards.
        <RequireAuth fallback={<p className="muted" data-testid="redirecting">Redirecting you to Smartbills to sign in…</p>}>
          <Dashboard />
        </RequireAuth>
      );
    default:
      return (
        <section className="card">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Back to the start</Link>
          </p>
        </section>
      );
  }
}

function Layout({ children }: { children?: ReactNode }) {
  const { status, user, logout } = useSmartbillsAuth();
  const { setAccount } = useAccount();
  const queryClient = useQueryClient();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const signOut = async (endSession: boolean) => {
    setSignOutError(null);
    setAccount(undefined);
    // Your own API data belonged to that user too.
    queryClient.removeQueries({ queryKey: ["demo"] });
    try {
      // Revokes the refresh token at Smartbills (through the backend, or directly for a public client),
      // clears the token here and in every tab, then goes home. With endSession, the browser also goes
      // through Smartbills' end-session page, so the next sign-in asks for the password again.
      await logout(endSession ? { endSession: true } : { returnTo: "/" });
    } catch (error) {
      // Only `unsupported` (a server without an end-session endpoint): this app is signed out anyway.
      setSignOutError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div className="page">
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="logo" aria-hidden="true">
            S
          </span>
          Smartbills <span className="muted">React demo</span>
        </Link>
        <nav>
          <Link href="/">Start</Link>
          <Link href="/dashboard">Dashboard</Link>
        </nav>
        <div className="session" data-testid="session-status" data-status={status}>
          <span className={`dot ${status}`} aria-hidden="true" />
          {status === "authenticated" ? (
            <>
              {/* From the ID token's claims (checked by the library), no request needed. */}
              Signed in as <strong data-testid="user-name">{user ? (user.name ?? user.sub) : "(no ID token)"}</strong>
            </>
          ) : status === "loading" ? (
            "Checking session…"
          ) : (
            "Signed out"
          )}
          {status === "authenticated" && (
            <>
              <button type="button" className="btn small ghost" onClick={() => void signOut(false)} data-testid="logout">
                Sign out
              </button>
              <button type="button" className="btn small ghost" onClick={() => void signOut(true)} data-testid="logout-end-session">
                Sign out of Smartbills too
              </button>
            </>
          )}
          {signOutError && (
            <span className="error small" role="alert" data-testid="logout-error">
              {signOutError}
            </span>
          )}
        </div>
      </header>
      <main>{children}</main>
      <footer className="muted">
        {config.bff ? (
          <>
            Backend for frontend at <code>{config.bff}</code>: it signs you in, keeps every token on the server and adds the
            access token to your API calls. This page holds only an HttpOnly session cookie.
          </>
        ) : config.exchangeEndpoint ? (
          <>
            Confidential client <code>{config.clientId}</code>: codes and refresh tokens go through your backend at{" "}
            <code>{config.exchangeEndpoint}</code>, which adds the client secret.
          </>
        ) : (
          <>
            Public client <code>{config.clientId}</code>: no backend, the browser redeems codes at the token endpoint with PKCE
            only.
          </>
        )}{" "}
        Authorization server: <code>{config.authority}</code>
        {config.discovery ? ", endpoints from its discovery document" : ""}.
      </footer>
    </div>
  );
}
