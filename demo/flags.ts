/**
 * The command line of `npm run demo`: parsed here, checked as a whole, so a wrong combination stops
 * with the usage text (exit 2) before anything starts.
 */
import type { DemoShape } from "./start";

export const USAGE = `Usage: npm run demo -- [flags]

  (no flags)                 confidential client: codes go through the backend endpoint /api/smartbills/token
  --public                   public client: no backend, PKCE only (same as --mode public)
  --mode confidential|public|bff
                             bff: backend for frontend; the server signs in and keeps every token,
                             the browser holds only an HttpOnly session cookie (<SmartbillsProvider bff>)
  --redis redis://HOST:PORT  with --mode bff: keep the sessions in that Redis (sealed, AES-GCM) instead of memory
  --storage memory|session|local|cookie
                             where the browser keeps the session (token modes only; cookie: confidential only)
  --shape default|smartbills smartbills: the authorization server under /auth, discovery, HTTP Basic
  --account-header NAME      the header that carries the connected account (default on-behalf-of)
  --help                     this text`;

export interface DemoFlags {
  mode: "confidential" | "public" | "bff";
  storage?: "memory" | "session" | "local" | "cookie";
  shape: DemoShape;
  accountHeader?: string;
  redisUrl?: string;
}

/** The flags, or the reason they are refused (`help` for --help). */
export function parseDemoFlags(argv: readonly string[]): { flags: DemoFlags } | { error: string } | { help: true } {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const valued = new Set(["--mode", "--redis", "--storage", "--shape", "--account-header"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true };
    if (arg === "--public") {
      switches.add(arg);
      continue;
    }
    if (!valued.has(arg)) return { error: `unknown argument ${JSON.stringify(arg)}` };
    if (values.has(arg)) return { error: `${arg} given twice` };
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) return { error: `${arg} needs a value` };
    values.set(arg, value);
    i++;
  }

  const modeArg = values.get("--mode");
  if (modeArg !== undefined && modeArg !== "confidential" && modeArg !== "public" && modeArg !== "bff") {
    return { error: `--mode must be confidential, public or bff (got ${JSON.stringify(modeArg)})` };
  }
  if (switches.has("--public") && modeArg !== undefined && modeArg !== "public") return { error: `--public contradicts --mode ${modeArg}` };
  const mode = modeArg ?? (switches.has("--public") ? "public" : "confidential");

  const storage = values.get("--storage");
  if (storage !== undefined && !["memory", "session", "local", "cookie"].includes(storage)) {
    return { error: `--storage must be memory, session, local or cookie (got ${JSON.stringify(storage)})` };
  }
  if (storage !== undefined && mode === "bff") return { error: "--storage is for the token modes: with --mode bff the browser stores nothing" };
  if (storage === "cookie" && mode === "public") return { error: "--storage cookie needs the confidential mode: the backend holds the refresh token" };

  const shape = values.get("--shape") ?? "default";
  if (shape !== "default" && shape !== "smartbills") return { error: `--shape must be "default" or "smartbills" (got ${JSON.stringify(shape)})` };

  const accountHeader = values.get("--account-header");
  if (accountHeader !== undefined && !/^[A-Za-z0-9-]+$/.test(accountHeader)) {
    return { error: `--account-header needs a header name, e.g. x-tenant-id (got ${JSON.stringify(accountHeader)})` };
  }

  const redisUrl = values.get("--redis");
  if (redisUrl !== undefined) {
    if (mode !== "bff") return { error: "--redis needs --mode bff (it is where the backend for frontend keeps its sessions)" };
    let url: URL | null = null;
    try {
      url = new URL(redisUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:") || !url.hostname) {
      return { error: `--redis needs a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (got ${JSON.stringify(redisUrl)})` };
    }
  }

  return {
    flags: {
      mode,
      shape,
      ...(storage !== undefined && { storage: storage as DemoFlags["storage"] }),
      ...(accountHeader !== undefined && { accountHeader }),
      ...(redisUrl !== undefined && { redisUrl }),
    },
  };
}
