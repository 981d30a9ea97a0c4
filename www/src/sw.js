// The service worker: after the first visit the page works offline. Every file of the site
// is cached at install (the list and the cache name are written by build.mjs), and served
// cache-first; nothing else is ever fetched. Record data never passes through here: it
// stays in the page (files, pasted text, the URL fragment, which is not part of requests).
/* global __PRECACHE__, __VERSION__ */
const CACHE = `healthproof-www-${__VERSION__}`;
const FILES = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Navigations (with or without a query) get the page itself.
    const hit = request.mode === 'navigate'
      ? await cache.match('./', { ignoreSearch: true }) ?? await cache.match('index.html')
      : await cache.match(request, { ignoreSearch: true });
    return hit ?? fetch(request);
  })());
});
