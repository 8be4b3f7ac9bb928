// Progressive enhancement only: the comments work the same without this file.
// If a generated avatar cannot load, show the generic silhouette instead
// (inline onerror handlers are not allowed by our Content Security Policy).
document.addEventListener(
  "error",
  (event) => {
    const image = event.target;
    if (!(image instanceof HTMLImageElement)) return;
    const fallback = image.dataset.fallback;
    if (image.classList.contains("comment-avatar") && fallback && !image.src.endsWith(fallback)) {
      image.src = fallback;
    }
  },
  true,
);
