// The outbox: records typed offline, kept in IndexedDB until the server has answered.
// One entry per record, keyed by its instanceID (the idempotency key the server stores).
// state: "waiting" (not sent yet), "refused" (kept for correction, with the reason) or
// "saved" (the server recorded it; kept briefly so the user sees the result).

const DB_NAME = "gandan-outbox";
const STORE = "records";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let dbPromise = null;
export function openDb() {
  if (!dbPromise) {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: "key" });
      store.createIndex("user", "user");
    };
    dbPromise = request(req);
  }
  return dbPromise;
}

async function store(mode) {
  const db = await openDb();
  return db.transaction(STORE, mode).objectStore(STORE);
}

export async function entries(user) {
  const all = await request((await store("readonly")).index("user").getAll(String(user)));
  return all.sort((a, b) => a.created - b.created);
}

export async function get(key) {
  return request((await store("readonly")).get(key));
}

export async function put(entry) {
  await request((await store("readwrite")).put(entry));
  announce();
}

export async function remove(key) {
  await request((await store("readwrite")).delete(key));
  announce();
}

export async function counts(user) {
  const list = await entries(user);
  const by = { waiting: 0, refused: 0, saved: 0 };
  for (const e of list) by[e.state] = (by[e.state] || 0) + 1;
  return by;
}

const channel = "BroadcastChannel" in self ? new BroadcastChannel("gandan-outbox") : null;
function announce() {
  dispatchEvent(new Event("outbox-changed"));
  channel?.postMessage("changed");
}
channel?.addEventListener("message", () => dispatchEvent(new Event("outbox-changed")));
