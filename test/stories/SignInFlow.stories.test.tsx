import { composeStories } from "@storybook/react";
import { screen } from "@testing-library/react";
import preview from "../../.storybook/preview.js";
import * as stories from "../../stories/SignInFlow.stories.js";
import { testEveryStory } from "./renderStory.js";

const composed = composeStories(stories, preview);

describe("Sign-in flow stories", () => {
  testEveryStory(composed, {
    BackFromSmartbills: () => {
      // The play function waited for the signed-in page and checked the address bar.
      expect(screen.getByRole("heading", { name: "Signed in" })).toBeTruthy();
      expect(screen.getByText("/invoices")).toBeTruthy();
      expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
    },
    RoundTrip: () => {
      expect(screen.getByRole("heading", { name: "Signed in" })).toBeTruthy();
      expect(screen.queryByRole("button", { name: "Sign in with Smartbills" })).toBeNull();
    },
  });
});
