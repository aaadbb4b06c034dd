// Gần Dân service worker: pages visited stay readable offline; the outbox page and its
// forms open without a connection. Network first for pages (fresh when online), the cache
// when offline; static files from the cache, refreshed in the background. Nothing that
// writes, no API, no admin, no htmx fragment and no OpenRosa exchange is ever cached.
const PAGES = "gandan-pages-v1";
const STATIC = "gandan-static-v1";
const STATIC_URL = "{{ static_url|escapejs }}";
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const SKIP = [/^\/admin\//, /^\/api\//, /^\/accounts\//, /^\/i18n\//, /^\/sw\.js$/,
  /^\/field\/(formList|submission|forms\/|outbox\/)/, /\/(export|download)/];
const KEPT = /^(text\/html|text\/xml|text\/csv)/;
const NOT_CACHED = "{{ not_cached|escapejs }}";
const OPEN_OUTBOX = "{{ open_outbox|escapejs }}";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("message", (event) => {
  if (event.data === "logout") event.waitUntil(caches.delete(PAGES));
});

function offlinePage() {
  const body = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>Gần Dân</title><p style="font:16px sans-serif;margin:2rem">${NOT_CACHED}</p>` +
    `<p style="font:16px sans-serif;margin:2rem"><a href="${OFFLINE_URL}">${OPEN_OUTBOX}</a></p>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    const type = response.headers.get("Content-Type") || "";
    // Pages, forms and the village list only: never a downloaded document or workbook.
    if (response.ok && !response.redirected && response.type === "basic" && KEPT.test(type)) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(STATIC);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request).then((response) => {
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || SKIP.some((rule) => rule.test(url.pathname))) return;
  if (request.headers.get("HX-Request")) return; // fragments are never pages
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staleWhileRevalidate(event));
  } else {
    event.respondWith(networkFirst(request));
  }
});
