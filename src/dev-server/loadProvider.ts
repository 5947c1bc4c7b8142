/**
 * Loading `oidc-provider`, the optional peer: a missing package becomes one line that says what to
 * install, and the package's development notices (printed at import and construction) are hidden.
 */

/** The one line an app sees when it imports the dev server without the peer installed. */
export const MISSING_PROVIDER_MESSAGE =
  "@smartbills/react/dev-server needs the optional peer dependency oidc-provider: npm install --save-dev oidc-provider";

/**
 * Maps an `import("oidc-provider")` failure to the error to throw: the one-line "install it" error
 * when the package itself is missing, else the original error (a broken install must stay visible).
 *
 * @example
 * import("oidc-provider").catch((error) => { throw providerImportError(error); });
 */
export function providerImportError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const notFound = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || /cannot find (package|module)|failed to resolve/i.test(message);
  // Only when it is oidc-provider itself that is missing (quoted as the specifier), not one of its dependencies.
  const names = /['"]oidc-provider['"]/.test(message);
  return notFound && names ? new Error(MISSING_PROVIDER_MESSAGE) : error;
}

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
