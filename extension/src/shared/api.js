// Firefox's `browser` and Chrome's `chrome` namespaces both return promises in Manifest V3.
/** @type {any} */
export const api = /** @type {any} */ (globalThis).browser ?? /** @type {any} */ (globalThis).chrome;
