// A realistic app on @smartbills/react: provider, sign-in button, callback route, auth state and an
// authenticated fetch. Imported through the package's own name, so the bundler reads the built
// `dist/` through package.json "exports", exactly as an app would.
import { Callback, LoginButton, SmartbillsProvider, useSmartbillsAuth, useSmartbillsFetch } from "@smartbills/react";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

function Receipts() {
  const smartbillsFetch = useSmartbillsFetch();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    smartbillsFetch("https://api.smartbills.io/v1/receipts")
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [smartbillsFetch]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const { status, logout } = useSmartbillsAuth();
  if (status === "loading") return <p>Loading…</p>;
  if (status === "unauthenticated") return <LoginButton returnTo="/">Sign in with Smartbills</LoginButton>;
  return (
    <main>
      <Receipts />
      <button onClick={() => void logout()}>Sign out</button>
    </main>
  );
}

export function App() {
  return (
    <SmartbillsProvider clientId="YOUR_CLIENT_ID" exchangeEndpoint="/api/smartbills/token">
      {window.location.pathname === "/callback" ? <Callback /> : <Home />}
    </SmartbillsProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
