// The README app in backend-for-frontend mode: the same hooks and components, no token in the browser.
import { SmartbillsProvider } from "@smartbills/react";
import { Home } from "./readmeAppPages";
import { createRoot } from "react-dom/client";

export function App() {
  return (
    <SmartbillsProvider bff="/api/smartbills">
      <Home />
    </SmartbillsProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
