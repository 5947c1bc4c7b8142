import { composeStories } from "@storybook/react";
import { screen } from "@testing-library/react";
import preview from "../../.storybook/preview.js";
import * as stories from "../../stories/Callback.stories.js";
import { testEveryStory } from "./renderStory.js";

const composed = composeStories(stories, preview);

/** The failure `<Callback/>` announces: its `role="alert"` region, once the callback has settled. */
async function alertText(): Promise<string> {
  const alert = await screen.findByRole("alert");
  expect(screen.queryByRole("status")).toBeNull();
  return alert.textContent ?? "";
}

/** What the default view says to every failure that only a new sign-in can fix. */
const SIGN_IN_AGAIN = "Could not finish signing you in. Please sign in again.";

describe("Callback stories", () => {
  testEveryStory(composed, {
    Loading: async () => {
      const status = screen.getByRole("status");
      expect(status.textContent).toBe("Signing in…");
      expect(status.getAttribute("aria-live")).toBe("polite");
      // The code left the address bar at once, even though the exchange has not answered.
      expect(window.location.search).not.toMatch(/[?&](code|state)=/);
    },
    CustomLoading: () => {
      expect(screen.getByRole("status").textContent).toBe("Finishing your sign-in with Smartbills…");
    },
    Success: async () => {
      expect(await screen.findByRole("heading", { name: "Signed in" })).toBeTruthy();
      expect(screen.getByText("/invoices")).toBeTruthy();
      expect(screen.queryByRole("alert")).toBeNull();
      expect(window.location.search).not.toMatch(/[?&](code|state)=/);
    },
    StateMismatch: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    MissingTransaction: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    MissingCode: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    InvalidCallback: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    IssuerMismatch: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    AccessDenied: async () => {
      // The server's description says why.
      expect(await alertText()).toBe("Sign-in was cancelled or refused. The user cancelled the sign-in.");
    },
    ExchangeFailed: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    InvalidResponse: async () => {
      expect(await alertText()).toBe(SIGN_IN_AGAIN);
    },
    NetworkError: async () => {
      expect(await alertText()).toBe("Could not reach the server. Check your connection and try again.");
    },
    CustomErrorView: async () => {
      const alert = await screen.findByRole("alert");
      expect(alert.querySelector("h2")?.textContent).toBe("We could not sign you in");
      expect(alert.textContent).toContain("You cancelled the sign-in at Smartbills.");
      expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    },
  });
});
