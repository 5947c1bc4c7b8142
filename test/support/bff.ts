// Real HTTP on 127.0.0.1 for the BFF's integration tests: the app server (node:http + toNodeHandler),
// a recording upstream API, a cookie-carrying "browser", and a headless sign-in at the local
// authorization server.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { AuthServer } from "../../dev/authServer";
import { CookieJar, signInWithFetch } from "../../dev/headlessLogin";
import { createSmartbillsBff, type SmartbillsBff, type SmartbillsBffOptions } from "../../src/server/bff/index";
import { toNodeHandler } from "../../src/server/toNodeHandler";

export const BASE = "/api/smartbills";
export const SESSION_SECRET = "a-test-session-secret-of-at-least-32-bytes!";

export async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface App {
  origin: string;
  port: number;
  bff: SmartbillsBff;
  server: Server;
  /** The status of every answer the app finished writing, in order (seen by the server, whatever the client got). */
  statuses: number[];
  close(): Promise<void>;
}

/** An app server on a free port whose every path goes to the BFF. `origin` must be known first, so the port is reserved before the BFF is made. */
export async function startApp(auth: AuthServer, options: Partial<SmartbillsBffOptions> & { port?: number; origin?: string } = {}): Promise<App> {
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const origin = options.origin ?? `http://127.0.0.1:${port}`;
  const { port: _port, origin: _origin, ...rest } = options;
  const bff = createSmartbillsBff({
    clientId: auth.clients.confidential.clientId,
    clientSecret: auth.clients.confidential.clientSecret,
    authority: auth.issuer,
    apiBaseUrl: auth.issuer,
    appOrigin: origin,
    secret: SESSION_SECRET,
    ...rest,
  });
  auth.addRedirectUris("confidential", [`${origin}${BASE}/callback`]);
  const handle = toNodeHandler(bff);
  const statuses: number[] = [];
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    res.on("finish", () => statuses.push(res.statusCode));
    handle(req, res);
  });
  return { origin, port, bff, server, statuses, close: () => closeServer(server) };
}

/** A browser: a cookie jar for the app's origin, `fetch` with redirects by hand. */
export class Browser {
  readonly jar = new CookieJar();
  constructor(readonly origin: string) {}

  async fetch(path: string, init: RequestInit & { csrf?: boolean } = {}): Promise<Response> {
    const url = new URL(path, this.origin);
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(url);
    if (cookie && !headers.has("cookie")) headers.set("cookie", cookie);
    if (init.csrf !== false && !headers.has("x-smartbills-request")) headers.set("x-smartbills-request", "1");
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.jar.store(response, url);
    return response;
  }

  /** The raw `Cookie` header this browser sends to the app. */
  cookieHeader(): string {
    return this.jar.header(new URL("/", this.origin)) ?? "";
  }
}

/** Signs `login` in through the BFF: /login → the authorization server's pages → /callback. Returns the callback's answer. */
export async function signIn(browser: Browser, auth: AuthServer, login = "alice", returnTo = "/dashboard"): Promise<Response> {
  const start = await browser.fetch(`${BASE}/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get("location")!;
  expect(authorizeUrl.startsWith(`${auth.issuer}/connect/authorize?`)).toBe(true);
  const callbackUrl = await signInWithFetch({ authorizeUrl, login, password: "any" });
  const url = new URL(callbackUrl);
  return browser.fetch(`${url.pathname}${url.search}`);
}

/** A signed-in browser (asserting the callback worked). */
export async function signedInBrowser(app: App, auth: AuthServer, login = "alice"): Promise<Browser> {
  const browser = new Browser(app.origin);
  const answer = await signIn(browser, auth, login);
  expect(answer.status).toBe(302);
  expect(answer.headers.get("location")).toBe("/dashboard");
  return browser;
}

export interface RecordedCall {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  bodyBytes: number;
}

export interface Upstream {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

/**
 * A recording API: `/echo` answers the request's headers as JSON (plus hostile response headers:
 * Set-Cookie, Keep-Alive, CORS, an internal header), `/slow` never answers, `/stall` sends headers and
 * stops mid-body, `/upload` counts the body,
 * `/redirect` is a 302 elsewhere.
 */
export async function startUpstream(): Promise<Upstream> {
  const calls: RecordedCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const call: RecordedCall = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes: 0 };
    calls.push(call);
    req.on("data", (chunk: Buffer) => (call.bodyBytes += chunk.length));
    req.on("error", () => {});
    res.on("error", () => {});
    const path = (req.url ?? "").split("?")[0];
    if (path?.endsWith("/slow")) return; // never answers
    if (path?.endsWith("/stall")) {
      // Headers and a tenth of the promised body, then nothing.
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write("{".repeat(10));
      return;
    }
    req.on("end", () => {
      if (path?.endsWith("/redirect")) {
        res.writeHead(302, { Location: "https://evil.example/" }).end();
        return;
      }
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Set-Cookie": "upstream=1; Path=/",
        "Access-Control-Allow-Origin": "*",
        "Keep-Alive": "timeout=77",
        "X-Upstream-Secret": "internal",
        ETag: '"v1"',
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bodyBytes: call.bodyBytes }));
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, calls, close: () => closeServer(server) };
}

/** A raw HTTP request (no URL normalisation: `..%2f`, backslashes and `//` reach the server as written). */
export function rawRequest(port: number, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
