// Initialise GOV.UK Frontend and MoJ Frontend components on every page, and the service's own behaviours.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.mjs";

initGovuk();
initMoj();

// Buttons that print the page (letters). Wired here: the Content-Security-Policy allows no inline handlers.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.addEventListener("click", () => window.print());
}

initSessionTimeout(document.querySelector("[data-module='app-session-timeout']"));
