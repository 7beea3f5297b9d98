// The door's service worker: the check-in page (the staff's and a paired
// phone's) opens with no network. It keeps the door page itself (network
// first: the copy is the last one the server gave) and the static files that
// page loads (cache first: their names change with their content). It answers
// nothing else: other organiser pages, JSON, searches (?q=) and every POST go
// to the network as if there were no worker, and nothing of them is stored.
"use strict";
const CACHE = "kokous-door-{{ version|escapejs }}";
const ASSETS = [{% for url in assets %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const DOOR_PAGE = /^\/organise\/[-a-zA-Z0-9_]+\/check-in\/(\d+\/)?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("kokous-door-") && name !== CACHE).map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

async function doorPage(request) {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;  // never a search's results
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return (await cache.match(key)) || Response.error();
  }
  if (response.ok && !response.redirected && response.type === "basic" && !url.search) {
    await cache.put(key, response.clone());
  } else if (!response.ok || response.redirected || response.type === "opaqueredirect") {
    await cache.delete(key);  // signed out, revoked, gone: keep no copy
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && DOOR_PAGE.test(url.pathname)) {
    event.respondWith(doorPage(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("message", (event) => {
  // The page says its phone's access has ended: forget the door pages too.
  if (event.data === "forget") event.waitUntil(caches.delete(CACHE));
});
