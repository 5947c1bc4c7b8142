import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { isSmartbillsAuthError, useSmartbillsAuth, useSmartbillsFetch } from "../../../src";
import { useAccount } from "../account";
import { ApiError, readJson, type Accounts, type Me } from "../api";
import { config } from "../config";
import { useChangeCount, useNow } from "../hooks";
import { ProfileCard } from "./ProfileCard";

/** Only rendered for a signed-in user: <RequireAuth> around it (in App.tsx) sees to that. */
export function Dashboard() {
  return (
    <>
      <section className="card">
        <h1>Dashboard</h1>
        <p className="explain">
          This page is wrapped in <code>&lt;RequireAuth&gt;</code>: open it signed out and you are sent to sign in, then brought
          back here. Everything below talks to the Smartbills API with your access token, through <code>useSmartbillsFetch</code>.
        </p>
      </section>
      <div className="grid">
        <WhoAmI />
        <ProfileCard />
        <TokenCard />
        <AccountSwitcher />
      </div>
      <ApiPlayground />
    </>
  );
}

/** `GET /v1/me` with react-query: the server checks the token and says whose it is. */
function WhoAmI() {
  const { account } = useAccount();
  // Adds `Authorization: Bearer …` and, once an account is chosen, the account header (`on-behalf-of: <account id>`).
  const smartbillsFetch = useSmartbillsFetch();
  const me = useQuery({
    // The account is part of the key: switching accounts fetches again with the new header.
    queryKey: ["demo", "me", account ?? null],
    queryFn: async () => readJson<Me>(await smartbillsFetch(`${config.apiUrl}/v1/me`)),
  });

  return (
    <section className="card" data-testid="whoami">
      <h2>Who is signed in</h2>
      <p className="explain">
        From <code>GET /v1/me</code>: the API checked the bearer token with the authorization server.
      </p>
      {me.isPending && <p className="muted">Loading…</p>}
      {me.error && <ErrorLine error={me.error} testId="me-error" />}
      {me.data && (
        <dl className="facts">
          <dt>Name</dt>
          <dd data-testid="me-name">{me.data.name}</dd>
          <dt>Email</dt>
          <dd data-testid="me-email">{me.data.email}</dd>
          <dt>Acting for</dt>
          <dd data-testid="me-account" data-account-id={me.data.onBehalfOf?.id ?? ""}>
            {me.data.onBehalfOf ? me.data.onBehalfOf.name : <span className="muted">yourself (no connected account)</span>}
          </dd>
          <dt>Token</dt>
          <dd data-testid="me-active">{me.data.active ? <span className="ok">active ✓</span> : "inactive"}</dd>
        </dl>
      )}
    </section>
  );
}

/** The token's life, live: useSmartbillsAuth re-renders when the library refreshes it. */
function TokenCard() {
  const { accessToken, expiresAt, scope } = useSmartbillsAuth();
  const now = useNow(250);
  // Counts token changes: each one is a refresh the library did on its own. The token itself is never shown.
  const refreshes = useChangeCount(accessToken);
  const [lifetime, setLifetime] = useState(1);
  const [lastRefreshAt, setLastRefreshAt] = useState<number | null>(null);
  useEffect(() => {
    if (expiresAt) setLifetime(Math.max(1, expiresAt - Date.now()));
  }, [expiresAt]);
  useEffect(() => {
    if (refreshes > 0) setLastRefreshAt(Date.now());
  }, [refreshes]);

  const left = expiresAt ? Math.max(0, expiresAt - now) : 0;
  const seconds = Math.ceil(left / 1000);
  const percent = Math.min(100, Math.round((left / lifetime) * 100));

  return (
    <section className="card" data-testid="token">
      {config.bff ? (
        <>
          <h2>Session</h2>
          <p className="explain">
            Backend for frontend: the access token never reaches this page. The server refreshes it before it expires, once
            however many calls need it. The countdown is the session's own end (its idle or absolute timeout); every API call
            pushes the idle timeout back.
          </p>
        </>
      ) : (
        <>
          <h2>Access token</h2>
          <p className="explain">
            Short-lived on purpose. The library refreshes it before it expires (here, halfway through its life), with one request
            however many components and calls need a token at that moment.
          </p>
        </>
      )}
      <div className="countdown" data-testid="token-expires-in" data-expires-at={expiresAt ?? ""}>
        {seconds} s
      </div>
      <div className="meter" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </div>
      <dl className="facts">
        <dt>Refreshed</dt>
        <dd>
          <span data-testid="refresh-count">{refreshes}</span> {refreshes === 1 ? "time" : "times"} on this page
          {lastRefreshAt && <span className="muted"> · last at {new Date(lastRefreshAt).toLocaleTimeString()}</span>}
        </dd>
        <dt>Scope</dt>
        <dd data-testid="token-scope">{scope ?? "—"}</dd>
      </dl>
    </section>
  );
}

/** Picks the connected account the API calls act for: the provider's `onBehalfOf`. */
function AccountSwitcher() {
  const { account, setAccount } = useAccount();
  const smartbillsFetch = useSmartbillsFetch();
  const accounts = useQuery({
    queryKey: ["demo", "accounts"],
    queryFn: async () => readJson<Accounts>(await smartbillsFetch(`${config.apiUrl}/v1/accounts`)),
  });

  // An account remembered from another user's session is not ours: forget it.
  const forbidden = accounts.error instanceof ApiError && accounts.error.status === 403;
  const unknown = accounts.data && account !== undefined && !accounts.data.accounts.some((a) => a.id === account);
  useEffect(() => {
    if (forbidden || unknown) setAccount(undefined);
  }, [forbidden, unknown, setAccount]);

  return (
    <section className="card" data-testid="accounts">
      <h2>Connected accounts</h2>
      <p className="explain">
        The account you pick becomes the provider's <code>onBehalfOf</code>, sent as the <code>{config.accountHeader}</code>{" "}
        header with every API call.
      </p>
      {accounts.isPending && <p className="muted">Loading…</p>}
      {accounts.error && !forbidden && <ErrorLine error={accounts.error} testId="accounts-error" />}
      {accounts.data && (
        <ul className="accounts">
          <li>
            <label>
              <input
                type="radio"
                name="account"
                checked={account === undefined}
                onChange={() => setAccount(undefined)}
                data-testid="account-option-none"
              />
              Myself <span className="muted small">(no header)</span>
            </label>
          </li>
          {accounts.data.accounts.map((a) => (
            <li key={a.id}>
              <label>
                <input
                  type="radio"
                  name="account"
                  value={a.id}
                  checked={account === a.id}
                  onChange={() => setAccount(a.id)}
                  data-testid={`account-option-${a.id}`}
                />
                <span className="account-name">
                  {a.name}
                  <span className="muted small">{a.id}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface CallResult {
  /** Counts calls, so a repeated identical answer is still a new one. */
  seq: number;
  url: string;
  answers: { status: number; body: unknown }[];
  error?: { code: string; message: string };
}

/** Any URL, one call or several at once: what useSmartbillsFetch sends, and what it refuses to. */
function ApiPlayground() {
  const smartbillsFetch = useSmartbillsFetch();
  const [url, setUrl] = useState(`${config.apiUrl}/v1/me`);
  const [result, setResult] = useState<CallResult | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const call = async (times: number) => {
    setBusy(true);
    const id = ++seq.current;
    try {
      // Fired together: if the token is due for a refresh, they all wait for the same single refresh.
      const answers = await Promise.all(
        Array.from({ length: times }, async () => {
          const response = await smartbillsFetch(url);
          return { status: response.status, body: await readJson<unknown>(response).catch((e: ApiError) => e.body) };
        }),
      );
      setResult({ seq: id, url, answers });
    } catch (error) {
      // An untrusted origin rejects with `untrusted_origin` before anything is sent.
      setResult({
        seq: id,
        url,
        answers: [],
        error: isSmartbillsAuthError(error) ? { code: error.code, message: error.message } : { code: "error", message: String(error) },
      });
    } finally {
      setBusy(false);
    }
  };

  const statuses = result?.answers.map((a) => a.status) ?? [];
  const allOk = statuses.length > 0 && statuses.every((s) => s >= 200 && s < 300);

  return (
    <section className="card" data-testid="api">
      <h2>Call the API</h2>
      <p className="explain">
        <code>useSmartbillsFetch()</code> is <code>fetch</code> with your token. It only sends it to this app's origin, the
        authority's and the provider's <code>apiOrigins</code>: try another origin and nothing leaves the browser.
      </p>
      <form
        className="actions"
        onSubmit={(event) => {
          event.preventDefault();
          void call(1);
        }}
      >
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} aria-label="API URL" data-testid="api-url" />
        <button type="submit" className="btn primary" disabled={busy} data-testid="call-api">
          Call API
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void call(5)} data-testid="call-api-burst">
          5 calls at once
        </button>
      </form>
      <p className="muted small">
        Try{" "}
        <button type="button" className="btn small ghost" onClick={() => setUrl(`${config.apiUrl}/v1/me`)}>
          /v1/me
        </button>
        <button type="button" className="btn small ghost" onClick={() => setUrl(`${config.apiUrl}/v1/accounts`)}>
          /v1/accounts
        </button>
        <button type="button" className="btn small ghost" onClick={() => setUrl("https://evil.example/steal")}>
          https://evil.example/steal
        </button>
      </p>
      <div data-testid="api-outcome" data-seq={result?.seq ?? 0}>
        {result?.error && (
          <p className="error" data-testid="api-error" data-code={result.error.code}>
            Refused: {result.error.message}
          </p>
        )}
        {result && result.answers.length > 0 && (
          <>
            <p>
              <span className={`status-pill ${allOk ? "" : "bad"}`} data-testid="api-status" data-statuses={statuses.join(",")}>
                HTTP {statuses.join(", ")}
              </span>{" "}
              <span className="muted small">{result.url}</span>
            </p>
            <pre className="json" data-testid="api-result">
              {JSON.stringify(result.answers[0]!.body, null, 2)}
            </pre>
          </>
        )}
      </div>
    </section>
  );
}

function ErrorLine({ error, testId }: { error: Error; testId: string }) {
  const code = isSmartbillsAuthError(error) ? error.code : error instanceof ApiError ? String(error.status) : "error";
  return (
    <p className="error" data-testid={testId} data-code={code}>
      {error.message}
    </p>
  );
}
