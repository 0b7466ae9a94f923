// The background worker: the only part that talks to the local server (content scripts are bound by
// the page's CORS, and Chrome's Local Network Access blocks a public page's requests to loopback).
import {api} from '../shared/api.js';
import {isLoopbackUrl, loadOptions} from '../shared/options.js';
import {reportPagePath} from '../shared/protocol.js';
import {keepCapture} from '../shared/capture-log.js';
import {analysisRequest, bundleBody, resultFromResponse} from './server.js';

const REQUEST_TIMEOUT_MS = 20_000;

/**
 * @param {{handle: string, captures?: import('../shared/protocol.js').CaptureItem[], dom?: object, unavailable?: string}} message
 * @returns {Promise<import('../shared/protocol.js').AnalysisResult>}
 */
async function analyse(message) {
	// X said there is no such account to show: nothing for the server to analyse.
	if (typeof message.unavailable === 'string') {
		return {state: 'unavailable', message: message.unavailable};
	}

	const options = await loadOptions();
	if (!isLoopbackUrl(options.serverUrl)) {
		return {state: 'forbidden', message: `The server URL must be a local http address, not ${options.serverUrl}`};
	}

	if (!options.token) {
		return {state: 'not-paired'};
	}

	const request = analysisRequest(options, message);
	let response;
	try {
		response = await fetch(request.url, {...request.init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)});
	} catch (error) {
		if (error instanceof DOMException && error.name === 'TimeoutError') {
			return {state: 'error', message: 'The server took too long to answer'};
		}

		return {state: 'not-running'};
	}

	let body = null;
	try {
		body = await response.json();
	} catch {}

	return resultFromResponse(response.status, body, message.handle);
}

/**
 * Keeps the bundle for "Save all captured today", whatever the server says: a capture can be vetted
 * later, with the server stopped now.
 * @param {{handle: string, captures?: import('../shared/protocol.js').CaptureItem[], dom?: object}} message
 */
async function keep(message) {
	if (!message.captures?.length && !message.dom) {
		return;
	}

	try {
		await keepCapture(message.handle, bundleBody(await loadOptions(), message));
	} catch (error) {
		console.warn('ProfileLens: could not keep the capture of', message.handle, error);
	}
}

/**
 * @param {number | undefined} tabId
 * @param {object} entry
 */
async function remember(tabId, entry) {
	if (tabId === undefined || !api.storage.session) {
		return;
	}

	try {
		await api.storage.session.set({[`tab:${tabId}`]: entry});
	} catch {}
}

api.runtime.onMessage.addListener((/** @type {any} */ message, /** @type {any} */ sender, /** @type {(response: unknown) => void} */ sendResponse) => {
	const tabId = sender?.tab?.id;
	if (message?.type === 'analyze' && typeof message.handle === 'string') {
		void keep(message); // alongside: the badges do not wait for it
		void analyse(message).then(async result => {
			await remember(tabId, {handle: message.handle, result, at: Date.now()});
			sendResponse(result);
		}, error => sendResponse({state: 'error', message: String(error)}));
		return true;
	}

	if (message?.type === 'page') {
		void remember(tabId, {handle: typeof message.handle === 'string' ? message.handle : null, result: null, at: Date.now()});
		return false;
	}

	if (message?.type === 'open-options') {
		void api.runtime.openOptionsPage();
		return false;
	}

	// A badge row's "Full report": the report page beside the tab, on that tab's captures.
	if (message?.type === 'open-report' && tabId !== undefined && typeof message.handle === 'string') {
		void api.tabs.create({url: api.runtime.getURL(reportPagePath(tabId, message.handle)), openerTabId: tabId});
		return false;
	}

	return false;
});

api.tabs?.onRemoved?.addListener((/** @type {number} */ tabId) => {
	void api.storage.session?.remove(`tab:${tabId}`);
});
