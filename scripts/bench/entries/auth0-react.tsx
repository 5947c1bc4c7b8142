// The same app on @auth0/auth0-react: the provider handles the callback itself.
import { Auth0Provider, useAuth0 } from "@auth0/auth0-react";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

function Receipts() {
  const { getAccessTokenSilently } = useAuth0();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    getAccessTokenSilently()
      .then((token) => fetch("https://api.smartbills.io/v1/receipts", { headers: { Authorization: `Bearer ${token}` } }))
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [getAccessTokenSilently]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const { isLoading, isAuthenticated, error, loginWithRedirect, logout } = useAuth0();
  if (isLoading) return <p>Loading…</p>;
  if (error) return <p>{error.message}</p>;
  if (!isAuthenticated) return <button onClick={() => void loginWithRedirect({ appState: { returnTo: "/" } })}>Sign in with Smartbills</button>;
  return (
    <main>
      <Receipts />
      <button onClick={() => void logout({ logoutParams: { returnTo: window.location.origin } })}>Sign out</button>
    </main>
  );
}

export function App() {
  return (
    <Auth0Provider
      domain="api.smartbills.io"
      clientId="YOUR_CLIENT_ID"
      authorizationParams={{ redirect_uri: `${window.location.origin}/callback`, scope: "openid offline_access" }}
      useRefreshTokens
    >
      <Home />
    </Auth0Provider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
