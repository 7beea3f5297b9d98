// The door's scanning page, made better where the browser can:
// - the camera reads QR codes (getUserMedia + the vendored jsQR);
// - codes typed or scanned into the field are sent as JSON, each scan with its
//   own identifier, and the verdict is shown without a page load;
// - offline, codes are checked against the list's downloaded roster (digests of
//   codes, names, and registration ids), and scans are queued in localStorage
//   until the network is back; the server records each identifier once, so a
//   queue sent twice does no harm;
// - offline, the name search looks in the roster's names, and a tap on a name
//   queues that person's check-in;
// - a service worker (/organise/door-worker.js) keeps this page and its files,
//   so that it opens again with no network;
// - a phone whose pairing has ended is told so (403, "revoked") at its next
//   sync or scan: the page deletes its roster, its queue and the kept page.
// Without this script the page's forms work as plain HTML forms.
(() => {
  "use strict";
  const root = document.getElementById("door");
  if (!root || !window.fetch || !window.localStorage) return;
  const text = root.dataset;
  const listId = root.dataset.list;
  const queueKey = `kokous-door-queue-${listId}`;
  const rosterKey = `kokous-door-roster-${listId}`;
  const verdictBox = document.getElementById("door-verdict");
  const offlineBox = document.getElementById("door-offline");
  const queueBox = document.getElementById("door-queue");
  const countBox = document.getElementById("door-count");
  const form = document.getElementById("door-code-form");
  const field = form && form.querySelector("input[name=code]");
  let syncing = false;

  const load = (key, fallback) => {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  };
  const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));
  const newId = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  // As the server's normalise_code: the last part of a link, letters and digits.
  const normalise = (code) =>
    code.trim().replace(/\/+$/, "").split("/").pop().toUpperCase().replace(/[^A-Z0-9]/g, "");

  function show(verdict) {
    verdictBox.className = `verdict verdict-${verdict.colour}`;
    verdictBox.replaceChildren();
    const head = document.createElement("p");
    head.className = "verdict-headline";
    head.textContent = verdict.name ? `${verdict.headline}: ${verdict.name}` : verdict.headline;
    verdictBox.append(head);
    const lines = [verdict.reason];
    if (verdict.first_at) {
      const at = new Date(verdict.first_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      lines.push(`${at}${verdict.first_by ? ` · ${verdict.first_by}` : ""}`);
    }
    for (const line of lines.filter(Boolean)) {
      const p = document.createElement("p");
      p.className = "verdict-reason";
      p.textContent = line;
      verdictBox.append(p);
    }
    if (verdict.notes && verdict.notes.length) {
      const dl = document.createElement("dl");
      dl.className = "verdict-notes";
      for (const [label, note] of verdict.notes) {
        const dt = document.createElement("dt"); dt.textContent = label;
        const dd = document.createElement("dd"); dd.textContent = note;
        dl.append(dt, dd);
      }
      verdictBox.append(dl);
    }
  }

  function showQueue(message) {
    const queued = load(queueKey, []).length;
    queueBox.hidden = !queued && !message;
    queueBox.textContent = message || `${text.textQueued} ${queued}`;
  }

  function showOffline(offline) {
    offlineBox.hidden = !offline;
    offlineBox.textContent = offline ? text.textOffline : "";
  }

  let revoked = false;

  // The phone's pairing has ended: nothing of the list stays on it.
  function forget() {
    revoked = true;
    localStorage.removeItem(queueKey);
    localStorage.removeItem(rosterKey);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
    show({ colour: "red", headline: text.textRevoked, reason: "" });
    queueBox.hidden = true;
    if (form) form.hidden = true;
  }

  // The answer of a JSON endpoint; a revoked phone is forgotten, a signed-out
  // person (sent to the sign-in page) keeps the queue and is told to sign in.
  async function answerOf(response) {
    if (response.status === 403) {
      const body = await response.json().catch(() => ({}));
      if (body.revoked) { forget(); throw new Error("revoked"); }
    }
    const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
    if (response.redirected || !json) {
      showQueue(text.textSignedOut);
      throw new Error("signed out");
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function post(scans) {
    const response = await fetch(root.dataset.scansUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ scans }),
    });
    return answerOf(response);
  }

  function showCount(count) {
    if (!count) return;
    countBox.dataset.expected = count.expected;
    const parts = countBox.textContent.match(/\d+/g);
    if (!parts) return;
    // Keep the translated sentence; put the new numbers in its places.
    const numbers = count.inside === null ? [count.checked_in, count.expected]
      : [count.inside, count.checked_in, count.expected];
    let i = 0;
    countBox.textContent = countBox.textContent.replace(/\d+/g, (n) => (i < numbers.length ? String(numbers[i++]) : n));
  }

  async function digest(code) {
    const bytes = new TextEncoder().encode(`${listId}:${code}`);
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(hash), (x) => x.toString(16).padStart(2, "0")).join("").slice(0, 32);
  }

  async function judgeOffline(scan) {
    const roster = load(rosterKey, null);
    if (!roster || !window.crypto || !crypto.subtle) {
      return { colour: "amber", headline: text.textNoRoster, reason: "" };
    }
    const key = scan.registration ? null : await digest(scan.code);
    const person = roster.people.find((row) => (key ? row[0] === key : row[3] === scan.registration));
    if (!person) {
      return { colour: "red", headline: text.textNotOnList, reason: text.textNotOnListReason };
    }
    const queuedBefore = load(queueKey, []).some((q) => q.digest === person[0]);
    scan.digest = person[0];
    if (roster.single_entry && (person[2] || queuedBefore)) {
      return { colour: "amber", headline: text.textAlready, name: person[1], reason: text.textOfflineVerdict };
    }
    person[2] = true;
    save(rosterKey, roster);
    return { colour: "green", headline: text.textCheckedIn, name: person[1], reason: text.textOfflineVerdict };
  }

  async function queueOffline(scan) {
    if (revoked) return;
    scan.offline = true;
    const verdict = await judgeOffline(scan);
    const queue = load(queueKey, []);
    queue.push(scan);
    save(queueKey, queue);
    showOffline(true);
    show(verdict);
    showQueue();
  }

  async function submit(code) {
    const scan = { uuid: newId(), code: normalise(code), at: new Date().toISOString() };
    if (!scan.code || revoked) return;
    if (!navigator.onLine) { await queueOffline(scan); return; }
    try {
      const answer = await post([scan]);
      show(answer.results[0]);
      showCount(answer.count);
      showOffline(false);
    } catch (error) {
      await queueOffline(scan);
    }
  }

  async function sync() {
    const queue = load(queueKey, []);
    if (syncing || !queue.length || !navigator.onLine) return;
    syncing = true;
    try {
      const sent = queue.map(({ uuid, code, registration, at }) => (
        registration ? { uuid, registration, at, offline: true } : { uuid, code, at, offline: true }
      ));
      const answer = await post(sent);
      const done = new Set(answer.results.map((r) => r.uuid));
      save(queueKey, load(queueKey, []).filter((q) => !done.has(q.uuid)));
      showOffline(false);
      showCount(answer.count);
      showQueue(`${text.textSynced} ${done.size}`);
      refreshRoster();
    } catch (error) {
      showOffline(!navigator.onLine);
    } finally {
      syncing = false;
    }
  }

  async function refreshRoster() {
    if (!navigator.onLine || revoked) return;
    try {
      const response = await fetch(root.dataset.rosterUrl, { credentials: "same-origin" });
      save(rosterKey, await answerOf(response));
    } catch (error) { /* keep the roster we have */ }
  }

  // --- by name, offline: the roster's names -----------------------------------
  const nameForm = document.getElementById("door-name-form");
  const nameField = nameForm && nameForm.querySelector("input[name=q]");
  const offlineMatches = document.getElementById("door-offline-matches");
  const fold = (value) => value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function tapButton(person) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text.textCheckIn;
    button.setAttribute("aria-label", text.textCheckInName.replace("{name}", person[1]));
    button.addEventListener("click", async () => {
      await queueOffline({ uuid: newId(), registration: person[3], at: new Date().toISOString() });
      searchOffline(nameField.value);
    });
    return button;
  }

  function searchOffline(query) {
    const roster = load(rosterKey, null);
    const words = fold(query).split(/\s+/).filter(Boolean);
    offlineMatches.replaceChildren();
    offlineMatches.hidden = false;
    if (!roster || !words.length) return;
    const queued = new Set(load(queueKey, []).map((q) => q.digest));
    const found = roster.people
      .filter((row) => row[1] && words.every((word) => fold(row[1]).includes(word)))
      .sort((a, b) => a[1].localeCompare(b[1]))
      .slice(0, 50);
    if (!found.length) {
      const none = document.createElement("li");
      none.textContent = text.textNobodyOffline;
      offlineMatches.append(none);
      return;
    }
    for (const person of found) {
      const item = document.createElement("li");
      item.className = "card";
      const name = document.createElement("strong");
      name.textContent = person[1];
      item.append(name, " ");
      if (roster.single_entry && (person[2] || queued.has(person[0]))) {
        const done = document.createElement("span");
        done.className = "muted";
        done.textContent = `· ${text.textCheckedIn}`;
        item.append(done);
      } else {
        item.append(tapButton(person));
      }
      offlineMatches.append(item);
    }
  }

  if (nameForm && nameField && offlineMatches) {
    nameForm.addEventListener("submit", (event) => {
      if (navigator.onLine) return;  // online: the server searches names, emails, affiliations
      event.preventDefault();
      searchOffline(nameField.value);
    });
  }

  // --- the camera --------------------------------------------------------------
  const camera = document.getElementById("door-camera");
  const video = document.getElementById("door-video");
  const start = document.getElementById("door-camera-start");
  const stop = document.getElementById("door-camera-stop");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;

  function readFrame(canvas, context) {
    if (!stream) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > 3000)) {
        lastCode = found.data;
        lastAt = now;
        submit(found.data);
      }
    }
    requestAnimationFrame(() => readFrame(canvas, context));
  }

  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      show({ colour: "red", headline: text.textCameraFailed, reason: "" });
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    await video.play();
    const canvas = document.createElement("canvas");
    readFrame(canvas, canvas.getContext("2d", { willReadFrequently: true }));
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  }

  if (camera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR) {
    camera.hidden = false;
    start.addEventListener("click", startCamera);
    stop.addEventListener("click", stopCamera);
  }

  if (form && field) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const code = field.value;
      field.value = "";
      field.focus();
      submit(code);
    });
  }
  window.addEventListener("online", () => { showOffline(false); sync(); });
  window.addEventListener("offline", () => showOffline(true));
  showOffline(!navigator.onLine);
  showQueue();
  if (navigator.serviceWorker && root.dataset.workerUrl) {
    navigator.serviceWorker.register(root.dataset.workerUrl, { scope: root.dataset.workerScope })
      .catch(() => { /* the page still works while it is open */ });
  }
  refreshRoster().then(sync);
  setInterval(() => { refreshRoster(); sync(); }, 60000);
})();
