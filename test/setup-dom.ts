import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { resetCallbackRegistry } from "../src/react/callbackRegistry";

// The client loads its sign-in, callback, refresh and logout code with dynamic imports (start-up
// code stays small). Loaded once here, so that under fake timers an import resolves in a microtask,
// as a cached chunk does in a browser, instead of waiting on the test runner's transform.
await Promise.all([
  import("../src/react/loginFlow"),
  import("../src/react/callbackFlow"),
  import("../src/react/discovery"),
  import("../src/react/logoutFlow"),
  import("../src/react/refreshFlow"),
  import("../src/core/exchange"),
  import("../src/core/idToken"),
  import("../src/core/retryAfter"),
  import("../src/core/revocation"),
  import("../src/core/endSession"),
]);

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
});

afterEach(async () => {
  cleanup();
  resetCallbackRegistry();
  // An unmounted provider closes its cross-tab channel on the next tick (StrictMode restarts it at
  // once): let that happen, on real timers, so no channel of this test answers the next test's tabs.
  vi.useRealTimers();
  await new Promise((resolve) => setTimeout(resolve, 0));
});
