// Inspection pages: "Print" buttons (shown only when scripts run; the print stylesheet does the rest).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
