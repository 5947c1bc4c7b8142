/**
 * Request and render budgets of the built browser entry (`dist/index.js`), from the instrumented
 * jsdom runs that `npm run bench` prints (scripts/bench/dom/scenarios.tsx): what the token endpoint
 * sees, and how often components render, at sign-in, refresh and page load.
 */
import { beforeAll, describe, expect, it } from "vitest";
import budgets from "../../scripts/bench/budgets.json";
import { concurrent401, concurrentRefresh, loadDist, mountWithStoredToken, refreshRenders, signIn, type SmartbillsLib } from "../../scripts/bench/dom/scenarios";

let lib: SmartbillsLib;
beforeAll(async () => {
  lib = await loadDist();
});

describe("requests to the exchange endpoint", () => {
  it("is one exchange from <Callback/>'s mount to signed in, under StrictMode", async () => {
    const result = await signIn(lib, { strict: true });
    expect(result.signedIn).toBe(true);
    expect(result.grants).toEqual(Array(budgets.signInRequests.equals).fill("authorization_code"));
  });

  it(`is one refresh when ${budgets.concurrentRefreshRequests.consumers} consumers ask for a token and fetch at once as it expires`, async () => {
    const result = await concurrentRefresh(lib, budgets.concurrentRefreshRequests.consumers);
    expect(result.grants).toEqual(Array(budgets.concurrentRefreshRequests.equals).fill("refresh_token"));
    expect(result.apiRequests).toBe(budgets.concurrentRefreshRequests.consumers);
    expect(result.allGotFreshToken).toBe(true);
  });

  it(`is one refresh when ${budgets.concurrent401Requests.consumers} API calls get a 401 at once, each retried once`, async () => {
    const result = await concurrent401(lib, budgets.concurrent401Requests.consumers);
    expect(result.requests).toBe(budgets.concurrent401Requests.equals);
    expect(result.apiRequests).toBe(2 * budgets.concurrent401Requests.consumers);
    expect(result.allRetriedOk).toBe(true);
  });

  it("is none at page load with a valid stored token, and no consumer renders as loading", async () => {
    const result = await mountWithStoredToken(lib);
    expect(result.requests).toBe(budgets.mountRequests.equals);
    expect(result.notAuthenticatedRenders).toBe(0);
  });
});

describe("renders", () => {
  it(`of a useSmartbillsAuth consumer are at most ${budgets.signInRenders.max} from <Callback/>'s mount to signed in`, async () => {
    const result = await signIn(lib, { strict: false });
    expect(result.signedIn).toBe(true);
    expect(result.renders).toBeLessThanOrEqual(budgets.signInRenders.max);
  });

  it("of a useSmartbillsLogin-only component do not happen when the token refreshes", async () => {
    const result = await refreshRenders(lib);
    expect(result.requests).toBeGreaterThanOrEqual(1);
    expect(result.authRerenders).toBeGreaterThanOrEqual(1); // the refresh did reach React
    expect(result.loginOnlyRerenders).toBe(budgets.loginOnlyRefreshRerenders.equals);
  });
});
