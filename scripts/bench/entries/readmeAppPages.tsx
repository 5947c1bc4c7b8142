// The pages of the README app, shared by its entries (token mode, bff mode, SmartbillsBffProvider) so
// that their rows differ only by the provider.
import { LoginButton, useSmartbillsAuth, useSmartbillsFetch } from "@smartbills/react";
import { useEffect, useState } from "react";

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

export function Home() {
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

