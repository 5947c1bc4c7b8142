import { toSmartbillsAuthError } from "../core/errors.js";

/**
 * A module loaded on first use (the start-up code stays small). A chunk that cannot load (offline,
 * a new deployment) is a `network_error`, retried like any other: import() does not cache failures.
 */
export function load<T>(module: Promise<T>): Promise<T> {
  return module.catch((error: unknown) => {
    throw toSmartbillsAuthError(error, "network_error");
  });
}
