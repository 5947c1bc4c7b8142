// The same app on react-oauth2-code-pkce: the provider handles the callback itself.
import { useContext, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { AuthContext, AuthProvider, type TAuthConfig } from "react-oauth2-code-pkce";

const authConfig: TAuthConfig = {
  clientId: "YOUR_CLIENT_ID",
  authorizationEndpoint: "https://api.smartbills.io/connect/authorize",
  tokenEndpoint: "/api/smartbills/token",
  redirectUri: `${window.location.origin}/callback`,
  scope: "openid offline_access",
  autoLogin: false,
};

function Receipts() {
  const { token } = useContext(AuthContext);
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    fetch("https://api.smartbills.io/v1/receipts", { headers: { Authorization: `Bearer ${token}` } })
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [token]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const { token, logIn, logOut, loginInProgress, error } = useContext(AuthContext);
  if (loginInProgress) return <p>Loading…</p>;
  if (error) return <p>{error}</p>;
  if (!token) return <button onClick={() => logIn("/")}>Sign in with Smartbills</button>;
  return (
    <main>
      <Receipts />
      <button onClick={() => logOut()}>Sign out</button>
    </main>
  );
}

export function App() {
  return (
    <AuthProvider authConfig={authConfig}>
      <Home />
    </AuthProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
