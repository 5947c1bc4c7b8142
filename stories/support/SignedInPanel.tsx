import { useSmartbillsAuth } from "../../src/index.js";

/** What a signed-in app shows in the stories: the session, without ever printing a token. */
export function SignedInPanel({ path }: { path: string }) {
  const { status, expiresAt, scope, logout } = useSmartbillsAuth();
  if (status !== "authenticated") {
    return (
      <section aria-labelledby="signed-out-title">
        <h2 id="signed-out-title">Signed out</h2>
        <p>Your session has ended on this device.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="signed-in-title">
      <h2 id="signed-in-title">Signed in</h2>
      <p>
        Back at <code>{path}</code>, where the sign-in started.
      </p>
      <dl>
        <dt>Session expires</dt>
        <dd>{expiresAt === null ? "unknown" : new Date(expiresAt).toLocaleTimeString()}</dd>
        <dt>Scopes</dt>
        <dd>{scope ?? "none"}</dd>
      </dl>
      <button type="button" onClick={() => void logout({ returnTo: "/" })}>
        Sign out
      </button>
    </section>
  );
}
