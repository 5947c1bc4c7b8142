// The floor: the same app hand-written on react-query's hooks plus `pkce-challenge`, with none of a
// library's checks (no state/issuer validation beyond equality, no refresh schedule, no StrictMode
// guard, no error types). Every byte a library adds above this should pay for a feature.
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from "@tanstack/react-query";
import pkceChallenge from "pkce-challenge";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

const clientId = "YOUR_CLIENT_ID";
const redirectUri = `${window.location.origin}/callback`;

async function login() {
  const { code_verifier, code_challenge } = await pkceChallenge();
  const state = crypto.randomUUID();
  sessionStorage.setItem("pkce", JSON.stringify({ state, code_verifier }));
  const params = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "openid offline_access", state, code_challenge, code_challenge_method: "S256" });
  window.location.assign(`https://api.smartbills.io/connect/authorize?${params}`);
}

async function exchange(): Promise<string | null> {
  const params = new URLSearchParams(window.location.search);
  const pending = JSON.parse(sessionStorage.getItem("pkce") ?? "null") as { state: string; code_verifier: string } | null;
  if (!pending || params.get("state") !== pending.state) return sessionStorage.getItem("token");
  const body = new URLSearchParams({ grant_type: "authorization_code", code: params.get("code") ?? "", redirect_uri: redirectUri, code_verifier: pending.code_verifier, client_id: clientId });
  const response = await fetch("/api/smartbills/token", { method: "POST", body });
  const json = (await response.json()) as { access_token: string };
  sessionStorage.removeItem("pkce");
  sessionStorage.setItem("token", json.access_token);
  window.history.replaceState(null, "", "/");
  return json.access_token;
}

const useToken = () => useQuery({ queryKey: ["token"], queryFn: exchange, staleTime: Infinity });

function Receipts({ token }: { token: string }) {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    fetch("https://api.smartbills.io/v1/receipts", { headers: { Authorization: `Bearer ${token}` } })
      .then((response) => response.json() as Promise<unknown[]>)
      .then((receipts) => setCount(receipts.length), () => setCount(-1));
  }, [token]);
  return <p>{count === null ? "Loading receipts…" : `${count} receipts`}</p>;
}

function Home() {
  const queryClient = useQueryClient();
  const { data: token, isPending } = useToken();
  if (isPending) return <p>Loading…</p>;
  if (!token) return <button onClick={() => void login()}>Sign in with Smartbills</button>;
  const logout = () => {
    sessionStorage.removeItem("token");
    queryClient.setQueryData(["token"], null);
  };
  return (
    <main>
      <Receipts token={token} />
      <button onClick={logout}>Sign out</button>
    </main>
  );
}

const queryClient = new QueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Home />
    </QueryClientProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
