import { QueryClient } from "@tanstack/react-query";
import { StrictMode, type ReactNode } from "react";
import { SmartbillsProvider, type SmartbillsProviderProps } from "../../src/react/SmartbillsProvider";

export const CLIENT_ID = "test-client";
export const AUTHORITY = "https://api.smartbills.io";
export const ENDPOINT = "/api/smartbills/token";

/** A fresh query client with retries off, as every test gets its own. */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Renders in StrictMode by default: double effects are what users get burned by. */
export function createWrapper(props: Partial<SmartbillsProviderProps> = {}, { strict = true } = {}) {
  const queryClient = props.queryClient ?? createQueryClient();
  function Wrapper({ children }: { children?: ReactNode }) {
    const tree = (
      <SmartbillsProvider clientId={CLIENT_ID} exchangeEndpoint={ENDPOINT} queryClient={queryClient} {...props}>
        {children}
      </SmartbillsProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  }
  return { Wrapper, queryClient };
}

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: URLSearchParams;
  init: RequestInit | undefined;
}

type Handler = (request: RecordedRequest, index: number) => Response | Promise<Response>;

/** A fetch that records every request and answers with `handler`: a fake exchange endpoint. */
export function createRecordingFetch(handler: Handler) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = new URLSearchParams(typeof init?.body === "string" ? init.body : "");
    const request: RecordedRequest = { url, method: init?.method ?? "GET", headers: new Headers(init?.headers), body, init };
    requests.push(request);
    return handler(request, requests.length - 1);
  };
  return Object.assign(fetch, { requests }) as typeof globalThis.fetch & { requests: RecordedRequest[] };
}

let counter = 0;
/** A token endpoint answer with unique token strings. */
export function tokenResponse(overrides: Record<string, unknown> = {}, status = 200): Response {
  counter += 1;
  return jsonResponse({ access_token: `at-${counter}-${Math.random().toString(36).slice(2)}`, token_type: "Bearer", expires_in: 3600, refresh_token: `rt-${counter}-${Math.random().toString(36).slice(2)}`, scope: "openid offline_access", ...overrides }, status);
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Stores a pending login for `state` the way `login()` does, and puts the callback URL in the address bar. */
export function arrangeCallback({ state = "s".repeat(43), codeVerifier = "v".repeat(64), returnTo = "/dashboard", search }: { state?: string; codeVerifier?: string; returnTo?: string; search?: string } = {}) {
  window.sessionStorage.setItem(
    `smartbills.tx.${CLIENT_ID}.${state}`,
    JSON.stringify({ state, codeVerifier, redirectUri: `${window.location.origin}/callback`, returnTo, createdAt: Date.now() }),
  );
  window.history.replaceState(null, "", `/callback${search ?? `?code=the-code-123&state=${state}`}`);
  return { state, codeVerifier };
}

/** Stores a token set the way the "session" storage does. */
export function storeToken(fields: { accessToken?: string; refreshToken?: string; expiresAt?: number; issuedAt?: number } = {}) {
  const now = Date.now();
  const value = { v: 1, accessToken: "stored-at", tokenType: "Bearer", expiresAt: now + 3_600_000, issuedAt: now, refreshToken: "stored-rt", scope: "openid", ...fields };
  window.sessionStorage.setItem(`smartbills.token.${CLIENT_ID}`, JSON.stringify(value));
  return value;
}
