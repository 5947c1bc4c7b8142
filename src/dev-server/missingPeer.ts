/**
 * The one-line error for a missing `oidc-provider` (the dev server's optional peer dependency).
 */

/**
 * The one line an app sees when it imports the dev server without the peer installed.
 *
 * @example
 * await expect(import("@smartbills/react/dev-server")).rejects.toThrow(MISSING_PROVIDER_MESSAGE);
 */
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
