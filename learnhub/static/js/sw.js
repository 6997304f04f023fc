/* LearnHub's service worker: keeps what a member studies so it can be read offline (docs/offline.md).

   What is kept is the server's decision: a response is stored only when it carries X-LearnHub-Offline
   (the member's id, set on member study pages and their files) and does not say no-store. Committee,
   admin and authoring pages never carry it and are sent no-store. Each member's pages go into a cache
   named after them; LearnHub's own /static/ files are kept beside them, by URL, only while a member
   has a cache. Signing out deletes every cache (the page does, and the server sends Clear-Site-Data). */
"use strict";

var MEMBER_PREFIX = "learnhub-member-";
var OFFLINE_HEADER = "X-LearnHub-Offline";
var OFFLINE_PAGE = "/offline";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function memberCaches() {
  return caches.keys().then(function (keys) {
    return keys.filter(function (key) { return key.indexOf(MEMBER_PREFIX) === 0; });
  });
}

function keptCacheName(response) {
  var user = response.headers.get(OFFLINE_HEADER);
  var control = response.headers.get("Cache-Control") || "";
  if (response.status !== 200 || response.type !== "basic" || !user || !/^\d+$/.test(user)) { return null; }
  return /no-store/i.test(control) ? null : MEMBER_PREFIX + user;
}

function fromKept(request) {
  return memberCaches().then(function (names) {
    return names.reduce(function (found, name) {
      return found.then(function (hit) {
        return hit || caches.open(name).then(function (cache) { return cache.match(request, { ignoreVary: true }); });
      });
    }, Promise.resolve(undefined));
  });
}

function noConnection(request) {
  return fromKept(request).then(function (hit) {
    if (hit) { return hit; }
    if (request.mode !== "navigate") { return Response.error(); }
    return fromKept(new Request(OFFLINE_PAGE)).then(function (page) {
      return page || new Response("Không có kết nối mạng. / No connection.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  });
}

/* Pages and module files: always the network when there is one; the kept copy when there is none. */
function networkFirst(event) {
  return fetch(event.request).then(function (response) {
    var name = keptCacheName(response);
    if (name) {
      var copy = response.clone();
      event.waitUntil(caches.open(name).then(function (cache) { return cache.put(event.request, copy); }));
    }
    return response;
  }, function () { return noConnection(event.request); });
}

/* LearnHub's own static files: the network, kept by URL in each member's cache for offline pages. */
function staticFile(event) {
  return fetch(event.request).then(function (response) {
    if (response.status === 200 && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(memberCaches().then(function (names) {
        return Promise.all(names.map(function (name) {
          return caches.open(name).then(function (cache) { return cache.put(event.request, copy.clone()); });
        }));
      }));
    }
    return response;
  }, function () { return noConnection(event.request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") { return; }
  event.respondWith(url.pathname.indexOf("/static/") === 0 ? staticFile(event) : networkFirst(event));
});

/* The page asks for every cache to go when its member signs out. */
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "sign-out") {
    event.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    }));
  }
});
