import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { resetCallbackRegistry } from "../src/react/callbackRegistry";

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
