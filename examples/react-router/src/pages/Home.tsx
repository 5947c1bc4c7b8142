import { LoginButton, useSmartbillsAuth } from "@smartbills/react";
import { Link } from "react-router";

export function Home() {
  const { isAuthenticated, isLoading, logout } = useSmartbillsAuth();
  if (isLoading) return <p>Loading…</p>;
  return (
    <main>
      <h1>Smartbills + React Router</h1>
      {isAuthenticated ? (
        <>
          <p>
            You are signed in. <Link to="/invoices">See your invoices</Link>
          </p>
          <button type="button" onClick={() => logout({ returnTo: "/" })}>
            Sign out
          </button>
        </>
      ) : (
        <LoginButton returnTo="/invoices" />
      )}
    </main>
  );
}
