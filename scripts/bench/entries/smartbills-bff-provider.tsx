// The README app in backend-for-frontend mode on SmartbillsBffProvider: no token client in the bundle.
import { SmartbillsBffProvider } from "@smartbills/react";
import { Home } from "./readmeAppPages";
import { createRoot } from "react-dom/client";

export function App() {
  return (
    <SmartbillsBffProvider bff="/api/smartbills">
      <Home />
    </SmartbillsBffProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
