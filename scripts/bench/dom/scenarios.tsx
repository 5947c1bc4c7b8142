/**
 * Instrumented runs of the built browser entry in a DOM (vitest + jsdom, fake timers): how many
 * requests the token endpoint sees and how often components render, in the situations the budgets
 * name. The provider's `fetch` prop counts requests; render counters count component renders.
 *
 * Shared by `npm run bench` (prints the numbers) and `test/build/budgets.dom.test.tsx` (holds them).
 * Every scenario uses its own client id, so no BroadcastChannel, storage key or callback run of one
 * scenario can reach another.
 */
import { act, cleanup, render } from "@testing-library/react";
import { StrictMode, useEffect, type ReactElement, type ReactNode } from "react";
import { vi } from "vitest";
import type * as SmartbillsLibrary from "../../../src/index";

/** The browser entry's exports (typed from the sources, loaded from `dist/`). */
export type SmartbillsLib = typeof SmartbillsLibrary;

const DIST_INDEX = new URL("../../../dist/index.js", import.meta.url).pathname;

/** Imports the built browser entry, `dist/index.js` (run `npm run build` first). */
export async function loadDist(): Promise<SmartbillsLib> {
  const lib = (await import(/* @vite-ignore */ DIST_INDEX)) as SmartbillsLib;
  // The lazily loaded parts (sign-in, callback, refresh, logout), loaded once up front so that under
  // fake timers a dynamic import resolves at once, as a cached chunk does in a browser.
  await Promise.all(
    ["react/loginFlow.js", "react/callbackFlow.js", "react/logoutFlow.js", "react/refreshFlow.js", "core/exchange.js", "core/idToken.js", "core/retryAfter.js", "core/revocation.js"].map(
      (file) => import(/* @vite-ignore */ DIST_INDEX.replace(/index\.js$/, file)),
    ),
  );
  return lib;
}

const ENDPOINT = "/api/smartbills/token";
const API_URL = "https://api.smartbills.io/v1/receipts";
const START = new Date("2026-11-28T12:00:00Z");
/** The token endpoint answers after this long, so concurrent callers really overlap the request. */
const TOKEN_LATENCY_MS = 50;

let scenarioCount = 0;
const nextClientId = (name: string) => `bench-${name}-${++scenarioCount}`;

interface Recorder {
  fetch: typeof fetch;
  /** Requests to the exchange endpoint, by grant type. */
  tokenRequests: string[];
  /** The Authorization header of every API request. */
  apiAuthorizations: (string | null)[];
}

/** A fetch that plays the exchange endpoint and the API, and records what reaches each. */
function createRecorder({ api = () => new Response("[]", { status: 200 }) }: { api?: (authorization: string | null) => Response } = {}): Recorder {
  const recorder: Recorder = { fetch: undefined as unknown as typeof fetch, tokenRequests: [], apiAuthorizations: [] };
  let issued = 0;
  recorder.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url, window.location.href).pathname === ENDPOINT) {
      recorder.tokenRequests.push(new URLSearchParams(String(init?.body ?? "")).get("grant_type") ?? "?");
      issued += 1;
      await new Promise((resolve) => setTimeout(resolve, TOKEN_LATENCY_MS));
      const body = { access_token: `at-${issued}`, token_type: "Bearer", expires_in: 3600, refresh_token: `rt-${issued}`, scope: "openid offline_access" };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }
    const authorization = new Headers(init?.headers).get("authorization");
    recorder.apiAuthorizations.push(authorization);
    return api(authorization);
  };
  return recorder;
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

/** Runs `body` on a fake clock in a clean page, and leaves the page clean. */
async function inCleanPage<T>(body: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ now: START });
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
  try {
    return await body();
  } finally {
    cleanup();
    vi.useRealTimers();
    window.sessionStorage.clear();
    window.localStorage.clear();
    window.history.replaceState(null, "", "/");
  }
}

/** Stores a token set the way `storage="session"` does. */
function storeToken(clientId: string, { accessToken = "stored-at", issuedAt = Date.now(), expiresAt = Date.now() + 3_600_000 } = {}) {
  const value = { v: 1, accessToken, tokenType: "Bearer", expiresAt, issuedAt, refreshToken: "stored-rt", scope: "openid offline_access" };
  window.sessionStorage.setItem(`smartbills.token.${clientId}`, JSON.stringify(value));
}

function mount(lib: SmartbillsLib, clientId: string, recorder: Recorder, children: ReactNode, { strict }: { strict: boolean }) {
  const tree = (
    <lib.SmartbillsProvider clientId={clientId} exchangeEndpoint={ENDPOINT} fetch={recorder.fetch} onRedirectCallback={() => {}}>
      {children}
    </lib.SmartbillsProvider>
  );
  return render(strict ? <StrictMode>{tree}</StrictMode> : tree);
}

export interface SignInResult {
  /** Requests to the exchange endpoint from `<Callback/>`'s mount until signed in. */
  requests: number;
  grants: string[];
  /** Renders of a `useSmartbillsAuth` consumer from the callback's mount to signed in (meaningful without StrictMode). */
  renders: number;
  statuses: string[];
  signedIn: boolean;
}

/**
 * The callback page: a pending login in sessionStorage, `?code&state` in the address bar, a
 * `<Callback/>` beside a `useSmartbillsAuth` consumer. Runs until the consumer is signed in.
 * Under StrictMode (`strict`) for the request count; without, so a render count means renders.
 */
export async function signIn(lib: SmartbillsLib, { strict }: { strict: boolean }): Promise<SignInResult> {
  return inCleanPage(async () => {
    const clientId = nextClientId("sign-in");
    const state = `state-${clientId}`.padEnd(43, "s");
    window.sessionStorage.setItem(
      `smartbills.tx.${clientId}.${state}`,
      JSON.stringify({ state, codeVerifier: "v".repeat(64), redirectUri: `${window.location.origin}/callback`, returnTo: "/dashboard", createdAt: Date.now() }),
    );
    window.history.replaceState(null, "", `/callback?code=the-code-123&state=${state}`);
    const recorder = createRecorder();
    let renders = 0;
    const statuses: string[] = [];
    function AuthConsumer() {
      renders += 1;
      const { status } = lib.useSmartbillsAuth();
      statuses.push(status);
      return null;
    }
    mount(
      lib,
      clientId,
      recorder,
      <>
        <AuthConsumer />
        <lib.Callback />
      </>,
      { strict },
    );
    for (let i = 0; i < 100 && statuses.at(-1) !== "authenticated"; i += 1) await advance(10);
    const rendersToSignedIn = renders;
    await advance(1_000); // anything that still happens after signing in would show here
    return { requests: recorder.tokenRequests.length, grants: recorder.tokenRequests, renders: rendersToSignedIn, statuses, signedIn: statuses.at(-1) === "authenticated" };
  });
}

export interface MountResult {
  requests: number;
  /** Renders, across all consumers, whose status was not "authenticated". */
  notAuthenticatedRenders: number;
}

/** A page load with a valid stored token: five consumers mount (StrictMode) and the page idles 10 s. */
export async function mountWithStoredToken(lib: SmartbillsLib): Promise<MountResult> {
  return inCleanPage(async () => {
    const clientId = nextClientId("mount");
    storeToken(clientId);
    const recorder = createRecorder();
    let notAuthenticatedRenders = 0;
    function Consumer() {
      const { status } = lib.useSmartbillsAuth();
      lib.useSmartbillsFetch();
      if (status !== "authenticated") notAuthenticatedRenders += 1;
      return null;
    }
    mount(lib, clientId, recorder, Array.from({ length: 5 }, (_, i) => <Consumer key={i} />), { strict: true });
    await advance(10_000);
    return { requests: recorder.tokenRequests.length, notAuthenticatedRenders };
  });
}

export interface ConcurrentRefreshResult {
  consumers: number;
  /** Refresh requests while all consumers called at once. */
  requests: number;
  grants: string[];
  /** Every getAccessToken() resolved to the refreshed token, and every API call carried it. */
  allGotFreshToken: boolean;
  apiRequests: number;
}

type Calls = { getAccessToken(): Promise<string>; fetch(input: string): Promise<Response> };

function Caller({ lib, register }: { lib: SmartbillsLib; register: (calls: Calls) => void }): ReactElement | null {
  const { getAccessToken } = lib.useSmartbillsAuth();
  const smartbillsFetch = lib.useSmartbillsFetch();
  useEffect(() => register({ getAccessToken, fetch: smartbillsFetch }), [getAccessToken, smartbillsFetch, register]);
  return null;
}

function mountCallers(lib: SmartbillsLib, clientId: string, recorder: Recorder, count: number): Calls[] {
  const calls = new Map<number, Calls>();
  mount(
    lib,
    clientId,
    recorder,
    Array.from({ length: count }, (_, i) => <Caller key={i} lib={lib} register={(c) => void calls.set(i, c)} />),
    { strict: true },
  );
  return Array.from({ length: count }, (_, i) => ({
    getAccessToken: () => calls.get(i)!.getAccessToken(),
    fetch: (input) => calls.get(i)!.fetch(input),
  }));
}

/**
 * `consumers` components (StrictMode) hold a token that is about to expire; each calls
 * `getAccessToken()` and `useSmartbillsFetch()`'s fetch at the same moment.
 */
export async function concurrentRefresh(lib: SmartbillsLib, consumers = 20): Promise<ConcurrentRefreshResult> {
  return inCleanPage(async () => {
    const clientId = nextClientId("refresh");
    storeToken(clientId, { accessToken: "expiring-at" });
    const recorder = createRecorder();
    const callers = mountCallers(lib, clientId, recorder, consumers);
    await advance(10);
    // The token enters its last minute: due for refresh, not yet expired. (The clock jumps without
    // firing timers, so the provider's own schedule has not refreshed it yet.)
    vi.setSystemTime(Date.now() + 3_600_000 - 30_000);
    const tokens = callers.map((c) => c.getAccessToken());
    const responses = callers.map((c) => c.fetch(API_URL));
    await advance(TOKEN_LATENCY_MS * 4);
    const got = await Promise.all(tokens);
    await Promise.all(responses);
    const fresh = recorder.tokenRequests.length > 0 ? `at-${recorder.tokenRequests.length}` : "(none)";
    return {
      consumers,
      requests: recorder.tokenRequests.length,
      grants: recorder.tokenRequests,
      allGotFreshToken: got.every((t) => t === fresh) && recorder.apiAuthorizations.every((a) => a === `Bearer ${fresh}`),
      apiRequests: recorder.apiAuthorizations.length,
    };
  });
}

export interface Concurrent401Result {
  consumers: number;
  /** Refresh requests after every API call got a 401 at once. */
  requests: number;
  /** API requests: each call once, plus one retry each. */
  apiRequests: number;
  allRetriedOk: boolean;
}

/** `consumers` API calls (StrictMode) all get a 401 for a token the clock still trusts: one refresh, one retry each. */
export async function concurrent401(lib: SmartbillsLib, consumers = 20): Promise<Concurrent401Result> {
  return inCleanPage(async () => {
    const clientId = nextClientId("revoked");
    storeToken(clientId, { accessToken: "revoked-at" });
    const recorder = createRecorder({ api: (authorization) => new Response("[]", { status: authorization === "Bearer revoked-at" ? 401 : 200 }) });
    const callers = mountCallers(lib, clientId, recorder, consumers);
    await advance(10);
    const responses = callers.map((c) => c.fetch(API_URL));
    await advance(TOKEN_LATENCY_MS * 4);
    const statuses = (await Promise.all(responses)).map((r) => r.status);
    return { consumers, requests: recorder.tokenRequests.length, apiRequests: recorder.apiAuthorizations.length, allRetriedOk: statuses.every((s) => s === 200) };
  });
}

export interface RefreshRendersResult {
  /** Refresh requests in the window (at least one, or the scenario proves nothing). */
  requests: number;
  /** Re-renders of a component that only calls useSmartbillsLogin. */
  loginOnlyRerenders: number;
  /** Re-renders of a useSmartbillsAuth consumer beside it, for comparison. */
  authRerenders: number;
}

/** A 5 s token refreshes at its half-life while a `useSmartbillsLogin`-only component is mounted (no StrictMode). */
export async function refreshRenders(lib: SmartbillsLib): Promise<RefreshRendersResult> {
  return inCleanPage(async () => {
    const clientId = nextClientId("renders");
    storeToken(clientId, { issuedAt: Date.now(), expiresAt: Date.now() + 5_000 });
    const recorder = createRecorder();
    let loginOnly = 0;
    let auth = 0;
    function LoginOnly() {
      loginOnly += 1;
      lib.useSmartbillsLogin();
      return null;
    }
    function AuthConsumer() {
      auth += 1;
      lib.useSmartbillsAuth();
      return null;
    }
    mount(
      lib,
      clientId,
      recorder,
      <>
        <LoginOnly />
        <AuthConsumer />
      </>,
      { strict: false },
    );
    await advance(10);
    const [loginBefore, authBefore] = [loginOnly, auth];
    await advance(3_000);
    return { requests: recorder.tokenRequests.length, loginOnlyRerenders: loginOnly - loginBefore, authRerenders: auth - authBefore };
  });
}

export interface DomResults {
  react: string;
  signIn: { requests: number; grants: string[]; renders: number; signedIn: boolean; statuses: string[] };
  mount: MountResult;
  refresh: ConcurrentRefreshResult;
  revoked: Concurrent401Result;
  refreshRenders: RefreshRendersResult;
}

/** Every scenario, in order. */
export async function runAll(lib: SmartbillsLib, reactVersion: string): Promise<DomResults> {
  const strictSignIn = await signIn(lib, { strict: true });
  const plainSignIn = await signIn(lib, { strict: false });
  return {
    react: reactVersion,
    signIn: { requests: strictSignIn.requests, grants: strictSignIn.grants, renders: plainSignIn.renders, signedIn: strictSignIn.signedIn && plainSignIn.signedIn, statuses: plainSignIn.statuses },
    mount: await mountWithStoredToken(lib),
    refresh: await concurrentRefresh(lib, 20),
    revoked: await concurrent401(lib, 20),
    refreshRenders: await refreshRenders(lib),
  };
}
