// The README app in backend-for-frontend mode on SmartbillsBffProvider: no token client in the bundle.
import { LoginButton, SmartbillsBffProvider, useSmartbillsAuth, useSmartbillsFetch } from "@smartbills/react";
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
    <SmartbillsBffProvider bff="/api/smartbills">
      <Home />
    </SmartbillsBffProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
