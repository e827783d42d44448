// Runs before the page paints (a classic script at the top of <body>), so GOV.UK Frontend's
// JavaScript-only styles apply without a flash. Kept out of the page so the Content-Security-Policy
// needs no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
