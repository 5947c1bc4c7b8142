/** A fake backend for frontend (its routes as createSmartbillsBff answers them) and a provider in bff mode. */
import { QueryClient } from "@tanstack/react-query";
import { StrictMode, type ReactNode } from "react";
import { SmartbillsProvider, type SmartbillsProviderProps } from "../../src/react/SmartbillsProvider";
import { createRecordingFetch, jsonResponse, type RecordedRequest } from "./helpers";

export const BFF = "/api/smartbills";
export const ALICE = { sub: "alice", name: "Alice", email: "alice@example.com" };

export type Route = (request: RecordedRequest, n: number) => Response | Promise<Response>;

/** `{authenticated: true}` as GET /session answers it, ending in `ttlMs`. */
export function signedInAnswer(ttlMs = 30 * 60_000, extra: Record<string, unknown> = {}): Response {
  return jsonResponse({ authenticated: true, user: ALICE, expiresAt: Date.now() + ttlMs, scope: "openid offline_access", authenticatedAt: Date.now(), ...extra });
}

export const signedOutAnswer = (): Response => jsonResponse({ authenticated: false, user: null, expiresAt: null, scope: null });

/**
 * One fake network: the BFF's routes under BFF, each answered by its route (default: signed in,
 * logout 200, userinfo Alice, the proxy 200); anything else is a test failure (500 "unexpected").
 */
export function createBffNetwork(routes: Partial<Record<"session" | "userinfo" | "logout" | "login" | "api", Route>> = {}) {
  const counts: Record<string, number> = {};
  const fetch = createRecordingFetch((request) => {
    const path = new URL(request.url, window.location.origin).pathname;
    const name = path.startsWith(`${BFF}/api/`) || path === `${BFF}/api` ? "api" : path.startsWith(`${BFF}/`) ? path.slice(BFF.length + 1) : "";
    counts[name] = (counts[name] ?? 0) + 1;
    const route = routes[name as keyof typeof routes] ?? defaults[name];
    return route ? route(request, counts[name]!) : jsonResponse({ error: "unexpected", path }, 500);
  });
  const to = (name: string) => fetch.requests.filter((request) => new URL(request.url, window.location.origin).pathname === `${BFF}/${name}`);
  const api = () => fetch.requests.filter((request) => new URL(request.url, window.location.origin).pathname.startsWith(`${BFF}/api/`));
  return Object.assign(fetch, { to, api });
}

const defaults: Record<string, Route> = {
  session: () => signedInAnswer(),
  userinfo: () => jsonResponse({ ...ALICE, email_verified: true }),
  logout: () => jsonResponse({}),
  api: () => jsonResponse({ ok: true }),
};

/** The provider in bff mode, in StrictMode, with a fresh query client (no client id: the server has it). */
export function createBffWrapper(fetch: typeof globalThis.fetch, props: Partial<SmartbillsProviderProps> = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <StrictMode>
        <SmartbillsProvider bff={BFF} fetch={fetch} queryClient={queryClient} {...(props as object)}>
          {children}
        </SmartbillsProvider>
      </StrictMode>
    );
  }
  return { Wrapper, queryClient };
}
