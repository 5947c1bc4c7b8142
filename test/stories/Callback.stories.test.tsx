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
      expect(await alertText()).toBe("This sign-in response does not match the sign-in started here. Please sign in again.");
    },
    MissingTransaction: async () => {
      expect(await alertText()).toBe("No sign-in is pending in this tab. It may have expired or already completed. Please sign in again.");
    },
    MissingCode: async () => {
      expect(await alertText()).toBe("The sign-in response has no authorization code.");
    },
    InvalidCallback: async () => {
      expect(await alertText()).toBe("The sign-in response is malformed.");
    },
    IssuerMismatch: async () => {
      expect(await alertText()).toBe("The sign-in response came from an unexpected server.");
    },
    AccessDenied: async () => {
      expect(await alertText()).toMatch(/^Sign-in was cancelled or refused\./);
    },
    ExchangeFailed: async () => {
      expect(await alertText()).toBe("We could not finish signing you in. Please sign in again.");
    },
    InvalidResponse: async () => {
      expect(await alertText()).toBe("The sign-in service gave an unexpected answer. Please try again later.");
    },
    NetworkError: async () => {
      expect(await alertText()).toBe("Could not reach the server to finish signing in. Check your connection and try again.");
    },
    CustomErrorView: async () => {
      const alert = await screen.findByRole("alert");
      expect(alert.querySelector("h2")?.textContent).toBe("We could not sign you in");
      expect(alert.textContent).toContain("You cancelled the sign-in at Smartbills.");
      expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    },
  });
});
