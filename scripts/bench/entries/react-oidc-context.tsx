// The same app on react-oidc-context + oidc-client-ts: the provider handles the callback itself.
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider, useAuth } from "react-oidc-context";

function Receipts() {
  const auth = useAuth();
  const [count, setCount] = useState<number | null>(null);
  const token = auth.user?.access_token;
  useEffect(() => {
    fetch("https://api.smartbills.io/v1/receipts", { headers: { Authorization: `Bearer ${token}` } })
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [token]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const auth = useAuth();
  if (auth.isLoading) return <p>Loading…</p>;
  if (auth.error) return <p>{auth.error.message}</p>;
  if (!auth.isAuthenticated) return <button onClick={() => void auth.signinRedirect({ state: "/" })}>Sign in with Smartbills</button>;
  return (
    <main>
      <Receipts />
      <button onClick={() => void auth.removeUser()}>Sign out</button>
    </main>
  );
}

export function App() {
  return (
    <AuthProvider
      authority="https://api.smartbills.io"
      client_id="YOUR_CLIENT_ID"
      redirect_uri={`${window.location.origin}/callback`}
      scope="openid offline_access"
      onSigninCallback={() => window.history.replaceState({}, document.title, "/")}
    >
      <Home />
    </AuthProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
