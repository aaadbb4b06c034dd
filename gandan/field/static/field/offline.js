// Offline entry: the generated XForm rendered by ODK Web Forms; each finished record goes
// to the outbox (IndexedDB) and is posted once to the server when there is a connection.
// The server answers with an OpenRosa message: 201/202 saved, 4xx refused with the reason
// in Vietnamese (the record stays, for correction). The instanceID is the idempotency key:
// a record posted twice (a lost answer, two tabs) is recorded once.
import { createApp, h } from "vue";
import { OdkWebForm, POST_SUBMIT__NEW_INSTANCE, webFormsPlugin } from "@getodk/web-forms";
import * as outbox from "./outbox.js";

const root = document.getElementById("offline-app");
const texts = JSON.parse(document.getElementById("offline-texts").textContent);
const user = root.dataset.user;
const formHost = document.getElementById("web-form");
const list = root.querySelector("[data-outbox-list]");
let app = null;
let editingKey = null;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function showConnection() {
  const el = root.querySelector("[data-connection]");
  el.textContent = navigator.onLine ? texts.online : texts.offline;
  el.className = "offline-status " + (navigator.onLine ? "online" : "offline");
}

function parseInstance(xml) {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const text = (name) => doc.getElementsByTagName(name)[0]?.textContent?.trim() || "";
  return { instanceID: text("instanceID"), start: text("start"), title: text("title") };
}

// -- the form ------------------------------------------------------------------------------
async function fetchAttachment(url) {
  if (String(url).endsWith("villages.csv")) return fetch(root.dataset.villagesUrl);
  return new Response("", { status: 404 });
}

async function openForm(button, editEntry = null) {
  root.querySelectorAll("[data-form-id]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
  let xml;
  try {
    const response = await fetch(button.dataset.url, { credentials: "same-origin" });
    if (!response.ok || response.redirected) throw new Error(String(response.status));
    xml = await response.text();
  } catch (error) {
    formHost.textContent = texts.loadFailed;
    return;
  }
  app?.unmount();
  formHost.replaceChildren();
  editingKey = editEntry ? editEntry.key : null;
  formHost.dataset.editing = editingKey || "";
  root.querySelector("[data-form-hint]").textContent = editEntry ? texts.editing : "";
  const props = {
    formXml: xml,
    fetchFormAttachment: fetchAttachment,
    onSubmit: (payload, callback) => keep(button, payload, callback),
  };
  if (editEntry) {
    props.editInstance = {
      resolveInstance: async () => editEntry.xml,
      attachmentFileNames: editEntry.files.map((f) => f.name),
      resolveAttachment: async (name) => new Response(editEntry.files.find((f) => f.name === name).blob),
    };
  }
  app = createApp({ render: () => h(OdkWebForm, props) });
  app.use(webFormsPlugin);
  app.mount(formHost);
}

async function keep(button, payload, callback) {
  const data = payload.data[0];
  const xml = await data.get("xml_submission_file").text();
  const files = [];
  for (const [name, value] of data.entries()) {
    if (name !== "xml_submission_file") files.push({ name, type: value.type, blob: value });
  }
  const meta = parseInstance(xml);
  const previous = editingKey;
  await outbox.put({
    key: meta.instanceID,
    user,
    formId: button.dataset.formId,
    formTitle: button.textContent.trim(),
    formUrl: button.dataset.url,
    summary: [meta.start.split("-").reverse().join("/"), meta.title].filter(Boolean).join(" · "),
    xml,
    files,
    state: "waiting",
    reason: "",
    created: Date.now(),
  });
  if (previous && previous !== meta.instanceID) await outbox.remove(previous);
  if (previous) {
    // The correction is in the outbox: back to a blank form of the same type.
    await openForm(button);
  } else {
    callback({ status: "success", next: POST_SUBMIT__NEW_INSTANCE });
  }
  flush();
}

// -- sending -----------------------------------------------------------------------------------
function openRosaMessage(body) {
  const doc = new DOMParser().parseFromString(body, "text/xml");
  return doc.getElementsByTagName("message")[0]?.textContent?.trim() || "";
}

async function sendOne(entry) {
  const form = new FormData();
  form.append("xml_submission_file", new Blob([entry.xml], { type: "text/xml" }), "submission.xml");
  for (const file of entry.files) form.append(file.name, file.blob, file.name);
  let response;
  try {
    response = await fetch(root.dataset.submitUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-OpenRosa-Version": "1.0" },
    });
  } catch (error) {
    return "offline";
  }
  const body = await response.text();
  const message = openRosaMessage(body);
  if (response.redirected || (!message && (response.status === 401 || response.status === 403))) {
    root.querySelector("[data-connection]").textContent = texts.login;
    return "login";
  }
  if (response.status === 201 || response.status === 202) {
    await outbox.put({ ...entry, state: "saved", reason: message, link: response.headers.get("Location") || "", sent: Date.now() });
    return "ok";
  }
  if (response.status >= 400 && response.status < 500 && message) {
    await outbox.put({ ...entry, state: "refused", reason: message });
    return "ok";
  }
  return "offline"; // a server error: try again later
}

let flushing = null;
async function flushNow() {
  for (const entry of await outbox.entries(user)) {
    if (entry.state !== "waiting") continue;
    const fresh = await outbox.get(entry.key); // another tab may have sent it meanwhile
    if (!fresh || fresh.state !== "waiting") continue;
    const result = await sendOne(fresh);
    if (result !== "ok") break;
  }
}

function flush() {
  if (!navigator.onLine) return Promise.resolve();
  if (!flushing) {
    const run = navigator.locks ? () => navigator.locks.request("gandan-outbox", flushNow) : flushNow;
    flushing = run().finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

// -- the list --------------------------------------------------------------------------------
function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

async function render() {
  const entries = await outbox.entries(user);
  const waiting = entries.filter((e) => e.state === "waiting").length;
  const badge = root.querySelector("[data-waiting]");
  badge.textContent = String(waiting);
  badge.dataset.count = String(waiting);
  list.replaceChildren();
  if (!entries.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = texts.empty;
    list.append(li);
  }
  for (const entry of entries) {
    const li = document.createElement("li");
    li.className = entry.state;
    li.dataset.key = entry.key;
    const what = document.createElement("span");
    what.className = "what";
    what.textContent = `${entry.formTitle} · ${entry.summary}`;
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = texts[entry.state];
    li.append(what, state);
    if (entry.state === "refused") {
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = entry.reason;
      const formButton = root.querySelector(`[data-form-id="${entry.formId}"]`);
      li.append(reason, button(texts.edit, () => formButton && openForm(formButton, entry)));
      li.append(button(texts.discard, () => confirm(texts.confirmDiscard) && outbox.remove(entry.key)));
    } else if (entry.state === "saved") {
      if (entry.link) {
        const a = document.createElement("a");
        a.href = entry.link;
        a.textContent = texts.view;
        li.append(a);
      }
      li.append(button(texts.dismiss, () => outbox.remove(entry.key)));
    }
    list.append(li);
  }
}

root.querySelectorAll("[data-form-id]").forEach((b) => b.addEventListener("click", () => openForm(b)));
root.querySelector("[data-send-now]").addEventListener("click", () => flush());
addEventListener("online", () => {
  showConnection();
  flush();
});
addEventListener("offline", showConnection);
addEventListener("outbox-changed", render);
setInterval(() => flush(), 30_000);
// Fetch every form and the village list while there is a connection, so that the
// service worker has them when there is none.
function warmUp() {
  if (!navigator.onLine) return;
  const urls = [...root.querySelectorAll("[data-form-id]")].map((b) => b.dataset.url);
  for (const url of [...urls, root.dataset.villagesUrl]) fetch(url, { credentials: "same-origin" }).catch(() => {});
}

showConnection();
render();
warmUp();
flush();
