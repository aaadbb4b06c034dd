// On every page: register the service worker (pages visited stay readable offline) and
// show in the header how many records wait in the outbox.
import { counts } from "./outbox.js";

const link = document.querySelector("[data-outbox-link]");
const user = link?.dataset.user;

async function refresh() {
  if (!link || !user) return;
  const { waiting = 0, refused = 0 } = await counts(user);
  const badge = link.querySelector("[data-outbox-count]");
  badge.textContent = String(waiting);
  badge.dataset.count = String(waiting);
  link.hidden = waiting + refused === 0 && !link.dataset.always;
}

if ("serviceWorker" in navigator && link) {
  navigator.serviceWorker.register(link.dataset.sw, { scope: "/" }).catch(() => {});
}
// Logging out forgets the pages kept for offline reading (the outbox stays, per user).
document.querySelectorAll("form[action$='/accounts/logout/']").forEach((form) =>
  form.addEventListener("submit", () => navigator.serviceWorker?.controller?.postMessage("logout")),
);
addEventListener("outbox-changed", refresh);
refresh();
