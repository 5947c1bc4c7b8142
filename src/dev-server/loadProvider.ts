/**
 * Loading `oidc-provider`, the optional peer: a missing package becomes one line that says what to
 * install, and the package's development notices (printed at import and construction) are hidden.
 */
import { providerImportError } from "./missingPeer.js";

let quietDepth = 0;
let restoreConsole: (() => void) | undefined;

/** Runs `run` with oidc-provider's "oidc-provider NOTICE/WARNING: …" console lines hidden (re-entrant, so concurrent starts nest). */
export async function quietly<T>(run: () => Promise<T> | T): Promise<T> {
  if (quietDepth++ === 0) {
    const { warn, info } = console;
    const filter =
      (original: (...args: unknown[]) => void) =>
      (...args: unknown[]): void => {
        const first = args[0];
        if (typeof first === "string" && first.replace(/\x1b\[[0-9;]*m/g, "").startsWith("oidc-provider ")) return;
        original.apply(console, args);
      };
    console.warn = filter(warn);
    console.info = filter(info);
    restoreConsole = () => {
      console.warn = warn;
      console.info = info;
    };
  }
  try {
    return await run();
  } finally {
    if (--quietDepth === 0) restoreConsole?.();
  }
}

type ProviderModule = typeof import("oidc-provider");
let providerModule: Promise<ProviderModule> | undefined;

/** `oidc-provider`, imported once (ESM only); rejects with {@link MISSING_PROVIDER_MESSAGE} when absent. */
export function loadProvider(): Promise<ProviderModule> {
  providerModule ??= quietly(() => import("oidc-provider")).catch((error: unknown) => {
    providerModule = undefined;
    throw providerImportError(error);
  });
  return providerModule;
}
