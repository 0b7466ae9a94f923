// Runs in the page's own world (MAIN) at document_start, before X's scripts.
// It watches X's GraphQL calls for the profile operations and hands copies of their bodies to the
// isolated content script. X's requests are never altered or delayed: the original promise is returned
// untouched, the response is cloned and read after the page got it.
import {CAPTURE_MESSAGE, NAVIGATION_MESSAGE, graphqlOperation} from '../shared/protocol.js';

/**
 * @param {string} operation
 * @param {string} url
 * @param {string} body
 */
function hand(operation, url, body) {
	window.postMessage({type: CAPTURE_MESSAGE, operation, url, body}, location.origin);
}

/** @param {unknown} input */
function urlOf(input) {
	if (typeof input === 'string') {
		return input;
	}

	if (input instanceof Request) {
		return input.url;
	}

	return String(input);
}

const nativeFetch = window.fetch;
/** @type {typeof window.fetch} */
function fetchWithCapture(input, init) {
	const response = nativeFetch.call(this, input, init);
	try {
		const url = urlOf(input);
		const operation = graphqlOperation(url);
		if (operation) {
			response.then(result => {
				if (result.ok) {
					result.clone().text().then(body => hand(operation, url, body), () => {});
				}
			}, () => {});
		}
	} catch {
		// Never let the capture break X's own call.
	}

	return response;
}

window.fetch = fetchWithCapture;

/** @type {WeakMap<XMLHttpRequest, string>} */
const xhrOperations = new WeakMap();
const nativeOpen = XMLHttpRequest.prototype.open;
const nativeSend = XMLHttpRequest.prototype.send;

/** @this {XMLHttpRequest} */
XMLHttpRequest.prototype.open = function (/** @type {string} */ method, /** @type {string | URL} */ url) {
	try {
		const operation = graphqlOperation(String(url));
		if (operation) {
			xhrOperations.set(this, String(url));
		} else {
			xhrOperations.delete(this);
		}
	} catch {}

	// eslint-disable-next-line prefer-rest-params
	return nativeOpen.apply(this, /** @type {any} */ (arguments));
};

/** @this {XMLHttpRequest} */
XMLHttpRequest.prototype.send = function () {
	const url = xhrOperations.get(this);
	if (url) {
		this.addEventListener('load', () => {
			try {
				const operation = graphqlOperation(url);
				if (!operation || this.status < 200 || this.status >= 300) {
					return;
				}

				if (this.responseType === '' || this.responseType === 'text') {
					hand(operation, url, this.responseText);
				} else if (this.responseType === 'json' && this.response) {
					hand(operation, url, JSON.stringify(this.response));
				}
			} catch {}
		}, {once: true});
	}

	// eslint-disable-next-line prefer-rest-params
	return nativeSend.apply(this, /** @type {any} */ (arguments));
};

// X navigates with the History API and fires no event of its own: tell the content script.
for (const method of /** @type {const} */ (['pushState', 'replaceState'])) {
	const native = history[method];
	history[method] = function () {
		// eslint-disable-next-line prefer-rest-params
		const result = native.apply(this, /** @type {any} */ (arguments));
		try {
			window.postMessage({type: NAVIGATION_MESSAGE}, location.origin);
		} catch {}

		return result;
	};
}
