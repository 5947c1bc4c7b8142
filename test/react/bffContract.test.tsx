/**
 * BFF mode against the real server half: the provider in jsdom, its fetch going over 127.0.0.1 to
 * createSmartbillsBff (node:http), which signs in at the local authorization server. So the browser
 * half and the server half agree on every route, header and answer, and the page never receives a
 * token. The servers run in a child Node process: oidc-provider's crypto does not work under jsdom's
 * globals (its token endpoint answers 500 there).
 */
import { act, renderHook, waitFor } from "@testing-library/react";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, signInWithFetch } from "../../dev/headlessLogin";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { useSmartbillsUserInfo } from "../../src/react/useSmartbillsUserInfo";
import { BFF, createBffWrapper } from "./bffHelpers";

const ROOT = resolve(__dirname, "../..");
const SERVERS = `
import { createServer } from "node:http";
import { startAuthServer } from ${JSON.stringify(join(ROOT, "dev/authServer.ts"))};
import { createSmartbillsBff } from ${JSON.stringify(join(ROOT, "src/server/bff/index.ts"))};
import { toNodeHandler } from ${JSON.stringify(join(ROOT, "src/server/toNodeHandler.ts"))};
const auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
const server = createServer();
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const origin = "http://127.0.0.1:" + server.address().port;
const bff = createSmartbillsBff({
  clientId: auth.clients.confidential.clientId, clientSecret: auth.clients.confidential.clientSecret,
  authority: auth.issuer, apiBaseUrl: auth.issuer, appOrigin: origin, secret: "a-test-session-secret-of-at-least-32-bytes!",
});
auth.addRedirectUris("confidential", [origin + "/api/smartbills/callback"]);
server.on("request", toNodeHandler(bff));
process.stdout.write(JSON.stringify({ origin, issuer: auth.issuer }) + "\\n");
process.stdin.on("end", async () => { server.closeAllConnections(); server.close(); await auth.close(); process.exit(0); });
process.stdin.resume();
`;

let child: ChildProcess;
let dir: string;
let servers: { origin: string; issuer: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bff-contract-"));
  writeFileSync(join(dir, "servers.mts"), SERVERS);
  child = spawn(process.execPath, ["--import", "tsx", join(dir, "servers.mts")], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  servers = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error("the servers did not start within 25 s")), 25_000);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) {
        clearTimeout(timer);
        done(JSON.parse(out.slice(0, out.indexOf("\n"))) as typeof servers);
      }
    });
    child.once("exit", (code) => fail(new Error(`the servers exited (${code})`)));
  });
}, 30_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once("exit", done));
    child.stdin!.end();
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(killer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A browser's network for the page: its cookies for the app, Origin on a non-GET (as browsers send it), no redirects followed; every body kept. */
function createBrowser() {
  const jar = new CookieJar();
  const received: string[] = [];
  const send = async (path: string, init: RequestInit = {}) => {
    const url = new URL(path, servers.origin);
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set("cookie", cookie);
    if (init.method && init.method !== "GET") headers.set("origin", servers.origin);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    jar.store(response, url);
    return response;
  };
  const pageFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, window.location.origin);
    if (url.origin !== window.location.origin) throw new TypeError("This page only calls its own origin.");
    const response = await send(url.pathname + url.search, init);
    received.push(await response.clone().text());
    return response;
  };
  return { send, fetch: pageFetch as typeof globalThis.fetch, received };
}

async function signedInPage() {
  const browser = createBrowser();
  const start = await browser.send(`${BFF}/login?returnTo=%2Fdashboard`);
  expect(start.status).toBe(302);
  const callback = new URL(await signInWithFetch({ authorizeUrl: start.headers.get("location")!, login: "alice", password: "any" }));
  const landed = await browser.send(callback.pathname + callback.search);
  expect(landed.headers.get("location")).toBe("/dashboard");
  const { Wrapper } = createBffWrapper(browser.fetch);
  const hook = renderHook(() => ({ auth: useSmartbillsAuth(), fetch: useSmartbillsFetch(), info: useSmartbillsUserInfo() }), { wrapper: Wrapper });
  await waitFor(() => expect(hook.result.current.auth.status).toBe("authenticated"), { timeout: 5000 });
  return { browser, hook };
}

describe("bff: the browser half against the real server half", () => {
  it("shows the signed-in user from /session and /userinfo, calls the API through the proxy, and never receives a token", async () => {
    const { browser, hook } = await signedInPage();
    expect(hook.result.current.auth.user).toMatchObject({ sub: "alice" });
    expect(hook.result.current.auth.accessToken).toBeNull();
    await waitFor(() => expect(hook.result.current.info.data).toMatchObject({ sub: "alice", email: "alice@example.com" }), { timeout: 5000 });
    const response = await act(() => hook.result.current.fetch("https://api.smartbills.io/v1/me"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: "alice" });
    expect(browser.received.length).toBeGreaterThanOrEqual(3);
    for (const body of browser.received) expect(body).not.toMatch(/access_token|refresh_token|id_token|accessToken|refreshToken|eyJ[\w-]+\.eyJ/);
    expect(document.cookie).toBe("");
  });

  it("logs out at the server: the session is gone there, and the proxy answers 401 login_required", async () => {
    const { browser, hook } = await signedInPage();
    expect(((await (await browser.send(`${BFF}/session`)).json()) as { authenticated: boolean }).authenticated).toBe(true);
    await act(() => hook.result.current.auth.logout());
    expect(hook.result.current.auth.status).toBe("unauthenticated");
    expect(((await (await browser.send(`${BFF}/session`)).json()) as { authenticated: boolean }).authenticated).toBe(false);
    const response = await act(() => hook.result.current.fetch("/v1/me"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("login_required");
  });

  it("with endSession, goes to the server's end-session URL (no id_token_hint: no token reaches the page)", async () => {
    const { hook } = await signedInPage();
    let opened = "";
    await act(() => hook.result.current.auth.logout({ endSession: true, openUrl: (url) => void (opened = url) }));
    const url = new URL(opened);
    expect(url.origin + url.pathname).toBe(`${servers.issuer}/connect/endsession`);
    expect(url.searchParams.has("id_token_hint")).toBe(false);
    expect(hook.result.current.auth.status).toBe("unauthenticated");
  });
});
