// The background worker: the only part that talks to the local server (content scripts are bound by
// the page's CORS, and Chrome's Local Network Access blocks a public page's requests to loopback). It
// analyses the profile a page shows, the accounts of X's answers for the marks beside names (results
// kept in storage.session), and keeps today's captures for "Save all captured today".
import {api} from '../shared/api.js';
import {isLoopbackUrl, loadOptions} from '../shared/options.js';
import {reportPagePath} from '../shared/protocol.js';
import {keepCapture} from '../shared/capture-log.js';
import {accountBody, accountsIn} from '../shared/accounts.js';
import {analysisRequest, bundleBody, resultFromResponse} from './server.js';
import {audienceBadge, carriesAudience} from './audience.js';

const REQUEST_TIMEOUT_MS = 20_000;
/** storage.session keys of the latest result per account, for the marks beside names. */
const RESULT_KEY = 'result:';

/**
 * @typedef {import('../shared/protocol.js').AnalysisResult} AnalysisResult
 * @typedef {{captures?: import('../shared/protocol.js').CaptureItem[], dom?: object}} Bundle
 */

/**
 * One request to the server for the accounts of a bundle: a result for each handle asked.
 * @param {Bundle} bundle
 * @param {string[]} handles
 * @returns {Promise<Record<string, AnalysisResult>>} by lower-case handle
 */
async function analyse(bundle, handles) {
	/** @param {AnalysisResult} result */
	const forAll = result => Object.fromEntries(handles.map(handle => [handle.toLowerCase(), result]));
	const options = await loadOptions();
	if (!isLoopbackUrl(options.serverUrl)) {
		return forAll({state: 'forbidden', message: `The server URL must be a local http address, not ${options.serverUrl}`});
	}

	if (!options.token) {
		return forAll({state: 'not-paired'});
	}

	const request = analysisRequest(options, bundle);
	let response;
	try {
		response = await fetch(request.url, {...request.init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)});
	} catch (error) {
		if (error instanceof DOMException && error.name === 'TimeoutError') {
			return forAll({state: 'error', message: 'The server took too long to answer'});
		}

		return forAll({state: 'not-running'});
	}

	let body = null;
	try {
		body = await response.json();
	} catch {}

	// One account asked (the profile on screen) takes the report the server gives, whatever its handle.
	return Object.fromEntries(handles.map(handle =>
		[handle.toLowerCase(), resultFromResponse(response.status, body, handle, handles.length === 1, api.runtime.id)]));
}

/**
 * @param {{handle: string, unavailable?: string} & Bundle} message
 * @returns {Promise<AnalysisResult>}
 */
async function analyseProfile(message) {
	// X said there is no such account to show: nothing for the server to analyse.
	const asked = typeof message.unavailable === 'string'
		? Promise.resolve({[message.handle.toLowerCase()]: {state: /** @type {const} */ ('unavailable'), message: message.unavailable}})
		: analyse(message, [message.handle]);
	profilesUnderWay.add(asked);
	const result = (await asked.finally(() => profilesUnderWay.delete(asked)))[message.handle.toLowerCase()];
	if (result.state === 'ok' && result.report) {
		// Made here, drawn by the content script: the Audience badge when its followers were seen.
		result.audience = audienceBadge(result.report, carriesAudience(message.captures));
	}

	void rememberResults({[message.handle.toLowerCase()]: result}); // the badges do not wait for it
	return result;
}

/** The profile analyses under way: the accounts of X's answers wait for them, the badges come first. */
const profilesUnderWay = new Set();
/** Time for the profile that X's answer belongs to to be asked (the page waits 40 ms for its answers). */
const ACCOUNTS_DELAY_MS = 150;

async function afterProfiles() {
	await new Promise(resolve => setTimeout(resolve, ACCOUNTS_DELAY_MS));
	await Promise.allSettled([...profilesUnderWay]);
}

/**
 * Keeps the results that stay true this session (a report, an account X does not show) for the marks.
 * @param {Record<string, AnalysisResult>} results by lower-case handle
 */
async function rememberResults(results) {
	const entries = Object.fromEntries(Object.entries(results)
		.filter(([, result]) => result.state === 'ok' || result.state === 'unavailable')
		.map(([handle, result]) => [RESULT_KEY + handle, result]));
	if (Object.keys(entries).length === 0 || !api.storage.session) {
		return;
	}

	try {
		await api.storage.session.set(entries);
	} catch {
		// The session's storage is full: start the results over.
		const stored = await api.storage.session.get(null);
		await api.storage.session.remove(Object.keys(stored).filter(key => key.startsWith(RESULT_KEY)));
		await api.storage.session.set(entries).catch(() => {});
	}
}

/** X's user objects from the page's answers not analysed yet, by lower-case handle (the latest kept). */
const waiting = new Map();
const MAX_WAITING = 2000;
/** The analyses of those accounts under way, by lower-case handle. */
const running = new Map();

/**
 * The results known this session, by lower-case handle.
 * @param {string[]} handles
 * @returns {Promise<Record<string, AnalysisResult>>}
 */
async function knownResults(handles) {
	const stored = api.storage.session ? await api.storage.session.get(handles.map(handle => RESULT_KEY + handle)) : {};
	return Object.fromEntries(handles.filter(handle => stored[RESULT_KEY + handle])
		.map(handle => [handle, stored[RESULT_KEY + handle]]));
}

/**
 * Has the server analyse the accounts seen in X's answers (one request for those not under way yet),
 * each from its user object alone, and answers their results.
 * @param {string[]} handles lower-case, none with a known result
 * @returns {Promise<Record<string, AnalysisResult>>}
 */
async function analyseAccounts(handles) {
	const fresh = handles.filter(handle => waiting.has(handle) && !running.has(handle));
	if (fresh.length > 0) {
		const done = analyse({captures: fresh.map(handle => ({body: accountBody(waiting.get(handle))}))}, fresh)
			.then(async results => {
				// A profile's own analysis (with its posts) that came meanwhile stays.
				const known = await knownResults(fresh);
				await rememberResults(Object.fromEntries(Object.entries(results).filter(([handle]) => !known[handle])));
				for (const [handle, result] of Object.entries(results)) {
					if (result.state === 'ok' || result.state === 'unavailable') {
						waiting.delete(handle);
					}
				}

				return {...results, ...known};
			})
			.finally(() => fresh.forEach(handle => running.delete(handle)));
		for (const handle of fresh) {
			running.set(handle, done);
		}
	}

	const under = new Set(handles.map(handle => running.get(handle)).filter(Boolean));
	return Object.assign({}, ...await Promise.all(under));
}

/**
 * One of X's answers, from a page: the accounts in it are analysed (those not known yet).
 * @param {string} body
 */
async function learnAccounts(body) {
	await afterProfiles();
	let users;
	try {
		users = accountsIn(JSON.parse(body));
	} catch {
		return;
	}

	for (const [handle, user] of users) {
		waiting.delete(handle);
		waiting.set(handle, user);
	}

	for (const handle of waiting.keys()) {
		if (waiting.size <= MAX_WAITING) {
			break;
		}

		waiting.delete(handle);
	}

	const known = await knownResults([...users.keys()]);
	await analyseAccounts([...users.keys()].filter(handle => !known[handle]));
}

/**
 * The marks beside names: the results known this session, or of the accounts seen in the page's
 * answers. Accounts never seen get nothing.
 * @param {string[]} handles lower-case
 * @returns {Promise<Record<string, AnalysisResult>>}
 */
async function markResults(handles) {
	const known = await knownResults(handles);
	const analysed = await analyseAccounts(handles.filter(handle => !known[handle]));
	return {...analysed, ...known};
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
		void analyseProfile(message).then(async result => {
			await remember(tabId, {handle: message.handle, result, at: Date.now()});
			sendResponse(result);
		}, error => sendResponse({state: 'error', message: String(error)}));
		return true;
	}

	if (message?.type === 'marks' && Array.isArray(message.handles)) {
		const handles = message.handles.filter((/** @type {unknown} */ handle) => typeof handle === 'string');
		void markResults(handles.map((/** @type {string} */ handle) => handle.toLowerCase()))
			.then(sendResponse, () => sendResponse({}));
		return true;
	}

	if (message?.type === 'accounts' && typeof message.body === 'string') {
		void learnAccounts(message.body).then(() => sendResponse(true), () => sendResponse(false));
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
