import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { resetCallbackRegistry } from "../src/react/callbackRegistry";

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
});

afterEach(() => {
  cleanup();
  resetCallbackRegistry();
});
