"""The installable app: web app manifest, service worker, the offline page and what a module keeps."""
