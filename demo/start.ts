/**
 * `npm run demo`: the whole Smartbills flow on your machine.
 *
 *   1. a local Smartbills authorization server (oidc-provider, `dev/authServer.ts`) with seeded users,
 *      which also serves a small Smartbills API (`GET /v1/me`, `GET /v1/accounts`);
 *   2. the example React app on a Vite dev server, which also serves the backend exchange endpoint
 *      `/api/smartbills/token` (`demo/backend.ts`) on the same origin.
 *
 * `--mode bff` replaces the exchange endpoint with the backend for frontend (`demo/bff.ts`):
 * `createSmartbillsBff` at `/api/smartbills` on the same origin, sessions in memory, or in Redis with
 * `--redis redis://127.0.0.1:6379`; the app renders `<SmartbillsProvider bff="/api/smartbills">`.
 *
 * `--shape smartbills` serves the authorization server the way Smartbills' .NET SDK expects it:
 * everything under `/auth` (authority `http://127.0.0.1:<port>/auth`), the endpoints read from its
 * discovery document, and the backend authenticating with HTTP Basic (the only method it accepts).
 *
 * Ctrl-C stops both. The e2e tests start exactly this stack through {@link startDemo}.
 */
import { createServer as createNetServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import react from "@vitejs/plugin-react";
import { createServer, type LogLevel, type ViteDevServer } from "vite";
import { startAuthServer, type AuthServer } from "../dev/authServer";
import { smartbillsTokenEndpoint, type BackendRequest } from "./backend";
import { BFF_PATH, createBffBackend, type BffBackend } from "./bff";
import { parseDemoFlags, USAGE } from "./flags";

export type { BackendRequest } from "./backend";
export type { BffBackend, BffRecord } from "./bff";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..");
const HOST = "127.0.0.1";
export const EXCHANGE_PATH = "/api/smartbills/token";

export interface DemoOptions {
  /** The app's port. Default 5173, or the next free one; 0 picks any free port. */
  appPort?: number;
  /** The authorization server's port; default 0 (any free port). */
  authPort?: number;
  /** Access-token lifetime in seconds; default 60, so the countdown and the refresh are visible. */
  accessTokenTtl?: number;
  /**
   * `"confidential"` (default): the app exchanges codes through the backend endpoint, which adds the
   * client secret. `"public"`: no backend, the browser uses the token endpoint with PKCE only.
   * `"bff"`: backend for frontend; the demo's backend signs in and keeps the tokens, the page holds a session cookie only.
   */
  mode?: DemoMode;
  /** With `mode: "bff"`: a `redis://` URL where the sessions are kept (a node-redis client made by the demo); default in memory. */
  redisUrl?: string;
  /**
   * Where the app keeps the session (the provider's `storage`); default `"session"`. `"cookie"` also
   * makes the backend keep the refresh token in an HttpOnly cookie (confidential mode only).
   */
  storage?: "memory" | "session" | "local" | "cookie";
  /**
   * `"default"`: the authorization server at the origin's root, endpoints at `/connect/*`, the secret in
   * the form body. `"smartbills"`: as Smartbills' .NET SDK sees it: under `/auth`, `discovery` on in the
   * browser and the backend, HTTP Basic client authentication (the server accepts nothing else).
   */
  shape?: DemoShape;
  /**
   * The header that carries the chosen connected account (the provider's `accountHeader`, and what the
   * local API reads); default `on-behalf-of`, as Smartbills' docs name it (its .NET SDK sends `x-tenant-id`).
   */
  accountHeader?: string;
  /** Render the app inside <StrictMode>; default true. */
  strictMode?: boolean;
  /** Vite's log level; default "info". */
  logLevel?: LogLevel;
  /** Vite's cache directory (pre-bundled dependencies); default `node_modules/.vite/demo-<mode>`. */
  cacheDir?: string;
  /** Watch the files and hot-reload the page on edits; default true. Tests turn it off: an edit must not reload a page mid-test. */
  hotReload?: boolean;
}

/** Which of the three architectures the demo runs: see {@link DemoOptions.mode}. */
export type DemoMode = "confidential" | "public" | "bff";

/** How the local authorization server is laid out: see {@link DemoOptions.shape}. */
export type DemoShape = "default" | "smartbills";

export interface DemoStack {
  /** The app's origin, e.g. `http://127.0.0.1:5173`. */
  appUrl: string;
  mode: DemoMode;
  shape: DemoShape;
  /** The OAuth client the app uses. */
  clientId: string;
  authServer: AuthServer;
  /** Every request to `/api/smartbills/token`: POSTs with their grant type, DELETEs (sign-out); always empty in public mode. */
  backendRequests: BackendRequest[];
  /** In bff mode: the backend for frontend, and what it received from the token endpoint (for the tests). */
  bff?: BffBackend;
  vite: ViteDevServer;
  /** Stops the app and the authorization server. */
  close(): Promise<void>;
}

/** Starts the authorization server, then the app with its backend endpoint. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoStack> {
  const mode = options.mode ?? "confidential";
  const shape = options.shape ?? "default";
  const smartbillsShape = shape === "smartbills";
  if (options.storage === "cookie" && mode === "public") throw new TypeError('storage "cookie" needs the confidential mode: the backend holds the refresh token.');
  if (options.storage !== undefined && mode === "bff") throw new TypeError("storage is for the token modes: in bff mode the browser stores nothing.");
  if (options.redisUrl !== undefined && mode !== "bff") throw new TypeError('redisUrl needs mode "bff".');
  const appPort = options.appPort === 0 ? await freePort(0) : await freePort(options.appPort ?? 5173, options.appPort === undefined ? 20 : 1);
  const appUrl = `http://${HOST}:${appPort}`;
  // In bff mode the code comes back to the backend, not to the page.
  const redirectUri = mode === "bff" ? `${appUrl}${BFF_PATH}/callback` : `${appUrl}/callback`;

  const authServer = await startAuthServer({
    ...(options.authPort !== undefined && { port: options.authPort }),
    accessTokenTtl: options.accessTokenTtl ?? 60,
    redirectUris: [redirectUri],
    // Under /auth the dev server's confidential client accepts HTTP Basic only, like Smartbills' SDK.
    ...(smartbillsShape && { basePath: "/auth" }),
    ...(options.accountHeader !== undefined && { accountHeader: options.accountHeader }),
  });

  const backendRequests: BackendRequest[] = [];
  const { confidential, public: publicClient } = authServer.clients;
  const clientId = mode === "public" ? publicClient.clientId : confidential.clientId;

  let vite: ViteDevServer | undefined;
  let bff: BffBackend | undefined;
  try {
    if (mode === "bff") {
      bff = await createBffBackend({
        clientId: confidential.clientId,
        clientSecret: confidential.clientSecret,
        authority: authServer.issuer,
        appOrigin: appUrl,
        apiBaseUrl: authServer.url,
        ...(smartbillsShape && { discovery: true, clientAuthentication: "client_secret_basic" as const }),
        ...(options.accountHeader !== undefined && { accountHeader: options.accountHeader }),
        ...(options.redisUrl !== undefined && { redisUrl: options.redisUrl }),
      });
    }
    vite = await createServer({
      configFile: false,
      root: here,
      // One per mode: the plugin list differs, and a different list re-bundles the dependencies.
      cacheDir: options.cacheDir ?? resolve(repoRoot, `node_modules/.vite/demo-${mode}`),
      logLevel: options.logLevel ?? "info",
      clearScreen: false,
      plugins: [
        react(),
        // The backend endpoint, only for the confidential client: the secret stays in this process.
        ...(mode === "confidential"
          ? [
              smartbillsTokenEndpoint({
                path: EXCHANGE_PATH,
                clientId: confidential.clientId,
                clientSecret: confidential.clientSecret,
                authority: authServer.issuer,
                ...(smartbillsShape && { discovery: true, clientAuthentication: "client_secret_basic" as const }),
                allowedRedirectUris: [redirectUri],
                onRequest: (request) => backendRequests.push(request),
                refreshTokenCookie: options.storage === "cookie",
                logErrors: options.logLevel === undefined || options.logLevel === "info" || options.logLevel === "warn",
              }),
            ]
          : []),
        ...(bff ? [bff.plugin] : []),
      ],
      // What the browser may know. Never put the client secret here: `define` ends up in the bundle.
      define: {
        "import.meta.env.VITE_SMARTBILLS_CLIENT_ID": JSON.stringify(clientId),
        "import.meta.env.VITE_SMARTBILLS_AUTHORITY": JSON.stringify(authServer.issuer),
        "import.meta.env.VITE_SMARTBILLS_EXCHANGE_ENDPOINT": JSON.stringify(mode === "confidential" ? EXCHANGE_PATH : ""),
        "import.meta.env.VITE_SMARTBILLS_API_URL": JSON.stringify(authServer.url),
        "import.meta.env.VITE_DEMO_STRICT_MODE": JSON.stringify(String(options.strictMode ?? true)),
        "import.meta.env.VITE_SMARTBILLS_STORAGE": JSON.stringify(options.storage ?? "session"),
        "import.meta.env.VITE_SMARTBILLS_DISCOVERY": JSON.stringify(String(smartbillsShape)),
        "import.meta.env.VITE_SMARTBILLS_ACCOUNT_HEADER": JSON.stringify(options.accountHeader ?? "on-behalf-of"),
        "import.meta.env.VITE_SMARTBILLS_BFF": JSON.stringify(mode === "bff" ? BFF_PATH : ""),
      },
      server: {
        host: HOST,
        port: appPort,
        strictPort: true,
        // Vite's default CORS would reach the token endpoint too (its middleware runs first). The app is
        // same-origin and the endpoint must send no CORS headers (SECURITY.md item 19): off.
        cors: false,
        // The callback URL holds a one-time code: send only the origin as Referer, never the full URL.
        headers: { "Referrer-Policy": "strict-origin" },
        // The app imports the library's source from ../src.
        fs: { allow: [repoRoot] },
        // Transform the app's modules while starting, so the first page load is quick.
        warmup: { clientFiles: ["./src/main.tsx"] },
        ...(options.hotReload === false && { hmr: false, watch: null }),
      },
      // Pre-bundled up front: a dependency discovered mid-session would make Vite reload the page.
      optimizeDeps: {
        entries: ["index.html"],
        include: ["react", "react-dom", "react-dom/client", "react/jsx-runtime", "react/jsx-dev-runtime", "@tanstack/react-query", "pkce-challenge"],
      },
    });
    await vite.listen();
  } catch (error) {
    await vite?.close().catch(() => {});
    await bff?.close().catch(() => {});
    await authServer.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    appUrl,
    mode,
    shape,
    clientId,
    authServer,
    backendRequests,
    ...(bff && { bff }),
    vite,
    close() {
      closing ??= Promise.allSettled([vite.close(), authServer.close()])
        .then(() => bff?.close())
        .then(() => {});
      return closing;
    },
  };
}

/** The first free port from `start` on 127.0.0.1 (`start` 0: any free port). */
async function freePort(start: number, attempts = 1): Promise<number> {
  for (let port = start, i = 0; i < attempts; port++, i++) {
    const found = await new Promise<number | null>((done) => {
      const probe = createNetServer();
      probe.once("error", () => done(null));
      probe.listen(port, HOST, () => {
        const { port: bound } = probe.address() as { port: number };
        probe.close(() => done(bound));
      });
    });
    if (found !== null) return found;
  }
  throw new Error(`No free port in ${start}–${start + attempts - 1} on ${HOST}; pass another appPort.`);
}

async function main(): Promise<void> {
  const parsed = parseDemoFlags(process.argv.slice(2));
  if ("help" in parsed) {
    console.log(USAGE);
    return;
  }
  if ("error" in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    process.exit(2);
  }
  const { mode, shape, storage, accountHeader, redisUrl } = parsed.flags;
  const accessTokenTtl = 60;
  const demo = await startDemo({ mode, shape, accessTokenTtl, ...(storage && { storage }), ...(accountHeader && { accountHeader }), ...(redisUrl && { redisUrl }) });
  const logins = demo.authServer.users.map((user) => user.id).join(" or ");
  console.log(
    `\n  ➜ Smartbills demo: open ${demo.appUrl} and sign in as ${logins} (any password)` +
      `  [${mode === "bff" ? `backend for frontend at ${BFF_PATH}, sessions in ${redisUrl ? "Redis" : "memory"}` : `${mode} client, ${storage ?? "session"} storage`}, ${shape === "smartbills" ? "Smartbills shape (/auth, discovery, HTTP Basic), " : ""}${accountHeader ? `account header ${accountHeader}, ` : ""}local authorization server ${demo.authServer.issuer}, ${accessTokenTtl} s tokens; Ctrl-C stops]\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: stopping the demo…`);
    // Bounded: a stuck connection must not keep Ctrl-C from working.
    const force = setTimeout(() => process.exit(0), 3_000);
    force.unref();
    demo.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

// Run only as a script (`tsx demo/start.ts`), not when the e2e tests import startDemo.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
