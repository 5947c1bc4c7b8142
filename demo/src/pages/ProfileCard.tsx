import { useSmartbillsAuth, useSmartbillsUserInfo } from "../../../src";

/**
 * Who is signed in, twice over: `useSmartbillsAuth().user` is the ID token's claims (checked by the
 * library: issuer, audience, expiry, the login's nonce), known at once with no request;
 * `useSmartbillsUserInfo()` asks the user info endpoint with the access token, as a react-query query.
 */
export function ProfileCard() {
  const { user } = useSmartbillsAuth();
  const userInfo = useSmartbillsUserInfo();

  return (
    <section className="card" data-testid="profile">
      <h2>Your profile</h2>
      <p className="explain">
        <code>useSmartbillsAuth().user</code> comes from the ID token of the sign-in (no request);{" "}
        <code>useSmartbillsUserInfo()</code> asks Smartbills' user info endpoint.
      </p>
      <dl className="facts">
        <dt>ID token</dt>
        <dd data-testid="idtoken-user" data-sub={user?.sub ?? ""}>
          {user ? (
            <>
              <span data-testid="idtoken-name">{user.name ?? user.sub}</span>{" "}
              <span className="muted small" data-testid="idtoken-email">
                {user.email ?? ""}
              </span>
            </>
          ) : (
            <span className="muted">no ID token (scope without openid)</span>
          )}
        </dd>
        <dt>User info</dt>
        <dd data-testid="userinfo" data-status={userInfo.status}>
          {userInfo.isPending && <span className="muted">Loading…</span>}
          {userInfo.error && (
            <span className="error" data-testid="userinfo-error" data-code={userInfo.error.code}>
              {userInfo.error.message}
            </span>
          )}
          {userInfo.data && (
            <>
              <span data-testid="userinfo-name">{userInfo.data.name ?? userInfo.data.sub}</span>{" "}
              <span className="muted small" data-testid="userinfo-email">
                {userInfo.data.email ?? ""}
              </span>
            </>
          )}
        </dd>
      </dl>
    </section>
  );
}
