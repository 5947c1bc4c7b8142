import { composeStories } from "@storybook/react";
import { screen } from "@testing-library/react";
import preview from "../../.storybook/preview.js";
import * as stories from "../../stories/RequireAuth.stories.js";
import { testEveryStory } from "./renderStory.js";

const composed = composeStories(stories, preview);

describe("RequireAuth stories", () => {
  testEveryStory(composed, {
    SignedIn: () => {
      expect(screen.getByRole("heading", { name: "Your invoices" })).toBeTruthy();
      expect(screen.queryByRole("status")).toBeNull();
    },
    SignedOut: () => {
      // The play function checked that one login started, returning to this page.
      expect(screen.getByRole("status").textContent).toBe("Redirecting to Smartbills to sign you in…");
      expect(screen.queryByRole("heading", { name: "Your invoices" })).toBeNull();
    },
    Offline: () => {
      expect(screen.getByRole("status").textContent).toContain("You are offline.");
      expect(screen.queryByRole("heading", { name: "Your invoices" })).toBeNull();
    },
  });
});
