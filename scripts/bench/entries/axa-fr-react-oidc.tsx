// The same app on @axa-fr/react-oidc: the provider handles the callback itself.
import { OidcProvider, useOidc, useOidcFetch } from "@axa-fr/react-oidc";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

function Receipts() {
  const { fetch } = useOidcFetch();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    fetch("https://api.smartbills.io/v1/receipts")
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [fetch]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const { isAuthenticated, login, logout } = useOidc();
  if (!isAuthenticated) return <button onClick={() => void login("/")}>Sign in with Smartbills</button>;
  return (
    <main>
      <Receipts />
      <button onClick={() => void logout()}>Sign out</button>
    </main>
  );
}

export function App() {
  return (
    <OidcProvider
      configuration={{
        client_id: "YOUR_CLIENT_ID",
        redirect_uri: `${window.location.origin}/callback`,
        scope: "openid offline_access",
        authority: "https://api.smartbills.io",
      }}
    >
      <Home />
    </OidcProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
