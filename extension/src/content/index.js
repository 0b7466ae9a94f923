// The isolated content script: follows X's single-page navigation, collects what the page hook
// captured, asks the worker for the analysis and keeps one badge row in the profile header, and the
// marks beside names elsewhere (marks.js).
// Everything a page starts (observers, timers, requests) hangs on that page's AbortSignal.
import {CAPTURE_MESSAGE, NAVIGATION_MESSAGE} from '../shared/protocol.js';
import {withDefaults} from '../shared/options.js';
import {api} from '../shared/api.js';
import {audienceHandle, profileHandle} from './page-detect.js';
import {SELECTORS, countsRow, profileHeader, unavailableAnchor} from './selectors.js';
import {CaptureStore} from './captures.js';
import {domCapture} from './dom-capture.js';
import {ROW_CLASS, renderRow} from './badges.js';
import {learnAccounts, showResult, useMarkOptions} from './marks.js';

/** How long a profile waits for its timeline before being analysed on its header alone. */
const PROFILE_ONLY_WAIT_MS = 1500;
/** Settling time after new posts arrive (scrolling loads a page every few hundred ms). */
const UPDATE_DEBOUNCE_MS = 40;
/** Without any GraphQL for this long after the header shows, read the page itself. */
const DOM_FALLBACK_WAIT_MS = 1200;
const DOM_UPDATE_DEBOUNCE_MS = 600;
/** How long the page has to load posts before a report without any is final ("not enough data"). */
const POSTS_WAIT_MS = 8000;
/** While the server is not running, ask again after 1 s, 2 s, 4 s… never more than this apart. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15_000;
/** Results kept on screen while the same profile is asked again. */
const KEPT_WHILE_ASKING = new Set(['ok', 'not-running']);

const store = new CaptureStore();

/**
 * @typedef {{captures?: import('../shared/protocol.js').CaptureItem[], dom?: object, unavailable?: string}} Payload
 * @typedef {{
 *   handle: string, signal: AbortSignal, row: HTMLElement | null,
 *   result: import('../shared/protocol.js').AnalysisResult | {state: 'loading'},
 *   sentSignature: string, mode: 'graphql' | 'dom' | 'waiting', payload: Payload | null,
 *   asked: number, postsDue: boolean, retries: number, retry: (delay: number) => void,
 * }} Page
 */

/** @type {{controller: AbortController, page: Page | null, url: string} | null} */
let current = null;
let options = withDefaults({});

/**
 * @param {MutationCallback} callback
 * @param {Node} target
 * @param {MutationObserverInit} init
 * @param {AbortSignal} signal
 */
function observe(target, init, callback, signal) {
	const observer = new MutationObserver(callback);
	observer.observe(target, init);
	signal.addEventListener('abort', () => observer.disconnect(), {once: true});
}

/**
 * A debounced call that never fires after `signal` aborts.
 * @param {() => void} callback
 * @param {AbortSignal} signal
 */
function debounced(callback, signal) {
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	signal.addEventListener('abort', () => clearTimeout(timer), {once: true});
	/** @param {number} delay */
	return delay => {
		clearTimeout(timer);
		if (!signal.aborted) {
			timer = setTimeout(callback, delay);
		}
	};
}

function removeRows() {
	for (const row of document.querySelectorAll(`.${ROW_CLASS}`)) {
		row.remove();
	}
}

/**
 * Where the page's row goes: after the counts row of this profile's header; on its followers or
 * following lists, above the list; for an account X will not show, wherever its page has room.
 * @param {Page} page
 * @returns {{node: HTMLElement, before: boolean} | null}
 */
function anchorOf(page) {
	if (page.result.state === 'unavailable') {
		return unavailableAnchor(document, page.handle);
	}

	const counts = profileHeader(document, page.handle) ? countsRow(document, page.handle) : null;
	// A list opened first shows no row until its account's profile came (X's UserByScreenName).
	const list = !counts && page.result.state !== 'loading' && audienceHandle(location.href)
		? document.querySelector(SELECTORS.audienceList) : null;
	return counts ? {node: counts, before: false} : list instanceof HTMLElement ? {node: list, before: true} : null;
}

/**
 * Puts the page's row at its anchor, replacing any other; a no-op while the header of this profile is
 * not on screen.
 * @param {Page} page
 */
function place(page) {
	const anchor = anchorOf(page);
	if (!anchor) {
		return;
	}

	page.row ??= renderRow(page.handle, anchor.node, page.result, {
		choice: options.badges, readingPosts: page.postsDue, audiencePage: Boolean(audienceHandle(location.href)),
		openOptions, openReport: () => openReport(page.handle),
	});
	for (const other of document.querySelectorAll(`.${ROW_CLASS}`)) {
		if (other !== page.row) {
			other.remove();
		}
	}

	if (anchor.before && page.row.nextElementSibling !== anchor.node) {
		anchor.node.before(page.row);
	} else if (!anchor.before && page.row.previousElementSibling !== anchor.node) {
		anchor.node.after(page.row);
	}
}

/**
 * Replaces the row after a new result.
 * @param {Page} page
 * @param {Page['result']} result
 */
function show(page, result) {
	page.result = result;
	showResult(page.handle, result, page.postsDue);
	page.row?.remove();
	page.row = null;
	place(page);
}

function openOptions() {
	api.runtime.sendMessage({type: 'open-options'}).catch(() => {});
}

/** @param {string} handle */
function openReport(handle) {
	api.runtime.sendMessage({type: 'open-report', handle}).catch(() => {});
}

/** @param {Payload} payload */
function signatureOf(payload) {
	if (payload.unavailable) {
		return `none:${payload.unavailable}`;
	}

	return payload.dom
		? `dom:${JSON.stringify(payload.dom).length}:${/** @type {any} */ (payload.dom).posts.length}`
		: `gql:${payload.captures?.length}:${payload.captures?.reduce((sum, item) => sum + item.body.length, 0)}`;
}

/**
 * @param {Page} page
 * @param {Payload} payload
 */
async function analyse(page, payload) {
	const signature = signatureOf(payload);
	if (signature === page.sentSignature) {
		return;
	}

	page.sentSignature = signature;
	page.payload = payload;
	const asked = ++page.asked;
	if (!page.row || !KEPT_WHILE_ASKING.has(page.result.state)) {
		show(page, {state: 'loading'});
	}

	/** @type {import('../shared/protocol.js').AnalysisResult} */
	let result;
	try {
		result = await api.runtime.sendMessage({type: 'analyze', handle: page.handle, ...payload});
	} catch (error) {
		result = {state: 'error', message: error instanceof Error ? error.message : String(error)};
	}

	// An answer to an older question (fewer posts) must not replace a newer one.
	if (page.signal.aborted || !result || asked !== page.asked) {
		return;
	}

	show(page, result);
	// The server may come back: ask again, less and less often, and redraw when it answers.
	if (result.state === 'not-running') {
		page.retry(Math.min(RETRY_FIRST_MS * (2 ** page.retries++), RETRY_MAX_MS));
	} else {
		page.retries = 0;
	}
}

/** @param {Page} page */
function analyseCaptures(page) {
	const {captures, unavailable} = store.bundle(page.handle);
	if (unavailable) {
		// Nothing to analyse: the worker answers that state without the server.
		page.mode = 'graphql';
		page.postsDue = false;
		void analyse(page, {unavailable});
	} else if (captures.length > 0) {
		page.mode = 'graphql';
		void analyse(page, {captures});
	}
}

/**
 * Asks again for what the page shows (new settings, the server back).
 * @param {Page} page
 */
function reanalyse(page) {
	page.sentSignature = '';
	if (page.mode === 'dom') {
		analyseDom(page);
	} else {
		analyseCaptures(page);
	}
}

/** @param {Page} page */
function analyseDom(page) {
	// The page's own GraphQL beats what the DOM shows, even while its timeline is still awaited.
	if (page.mode === 'graphql' || store.bundle(page.handle).captures.length > 0 || !profileHeader(document, page.handle)) {
		return;
	}

	page.mode = 'dom';
	void analyse(page, {dom: domCapture(document, page.handle, new Date())});
}

/**
 * @param {string} handle
 * @param {AbortSignal} signal
 * @returns {Page}
 */
function startProfile(handle, signal) {
	/** @type {Page} */
	const page = {
		handle, signal, row: null, result: {state: 'loading'}, sentSignature: '', mode: 'waiting', payload: null,
		asked: 0, postsDue: true, retries: 0, retry: () => {},
	};
	page.retry = debounced(() => reanalyse(page), signal);
	const scheduleCaptures = debounced(() => analyseCaptures(page), signal);
	const scheduleDom = debounced(() => analyseDom(page), signal);
	// From the first sign of the profile, its posts have POSTS_WAIT_MS to arrive; then what was shown as
	// waiting for them is final.
	const endPostsWait = debounced(() => {
		page.postsDue = false;
		if (page.row?.dataset.state === 'reading') {
			show(page, page.result);
		}
	}, signal);
	let postsClockStarted = false;
	const startPostsClock = () => {
		if (!postsClockStarted) {
			postsClockStarted = true;
			endPostsWait(POSTS_WAIT_MS);
		}
	};

	let headerSeen = false;

	const onPageChange = () => {
		if (!headerSeen && profileHeader(document, handle) && countsRow(document, handle)) {
			headerSeen = true;
			startPostsClock();
			if (page.mode === 'waiting') {
				show(page, {state: 'loading'});
				scheduleDom(DOM_FALLBACK_WAIT_MS);
			}
		}

		place(page);
	};

	// X mutates its page all the time: look at the header once a frame at most. New posts only matter
	// to the DOM fallback.
	let checkPending = false;
	observe(document, {childList: true, subtree: true}, mutations => {
		if (!checkPending) {
			checkPending = true;
			requestAnimationFrame(() => {
				checkPending = false;
				if (!signal.aborted) {
					onPageChange();
				}
			});
		}

		if (page.mode === 'dom' && mutations.some(mutation => [...mutation.addedNodes]
			.some(node => node instanceof Element && (node.matches(SELECTORS.tweet) || node.querySelector(SELECTORS.tweet))))) {
			scheduleDom(DOM_UPDATE_DEBOUNCE_MS);
		}
	}, signal);

	/** @param {string} capturedHandle */
	const onCapture = capturedHandle => {
		if (capturedHandle !== handle.toLowerCase()) {
			return;
		}

		page.mode = 'graphql';
		startPostsClock();
		scheduleCaptures(profileOnly(handle) ? PROFILE_ONLY_WAIT_MS : UPDATE_DEBOUNCE_MS);
	};

	captureListeners.add(onCapture);
	signal.addEventListener('abort', () => captureListeners.delete(onCapture), {once: true});
	const known = store.bundle(handle);
	if (known.captures.length > 0 || known.unavailable) {
		startPostsClock();
		scheduleCaptures(profileOnly(handle) ? PROFILE_ONLY_WAIT_MS : 0);
	}

	onPageChange();
	return page;
}

/**
 * The profile is known but none of its timeline: wait a moment for it before asking without posts.
 * @param {string} handle
 */
function profileOnly(handle) {
	const {timelinePages, unavailable} = store.bundle(handle);
	return timelinePages === 0 && !unavailable;
}

/** @type {Set<(handle: string) => void>} */
const captureListeners = new Set();

function onNavigation() {
	if (current?.url === location.href) {
		return;
	}

	const handle = profileHandle(location.href) ?? audienceHandle(location.href);
	// The same profile on another tab (posts -> replies -> followers) keeps its page; its row is drawn
	// again (the Audience badge shows on the followers lists while they are read).
	if (current?.page && handle && current.page.handle.toLowerCase() === handle.toLowerCase()) {
		current.url = location.href;
		show(current.page, current.page.result);
		return;
	}

	current?.controller.abort();
	removeRows();
	const controller = new AbortController();
	current = {controller, url: location.href, page: null};
	api.runtime.sendMessage({type: 'page', handle}).catch(() => {});
	if (handle) {
		current.page = startProfile(handle, controller.signal);
	}
}

window.addEventListener('message', event => {
	if (event.source !== window || event.origin !== location.origin) {
		return;
	}

	const data = event.data;
	if (data?.type === NAVIGATION_MESSAGE) {
		// The hook posts before X renders the new route; the URL is already the new one.
		onNavigation();
		return;
	}

	if (data?.type !== CAPTURE_MESSAGE || typeof data.operation !== 'string' || typeof data.url !== 'string'
		|| typeof data.body !== 'string') {
		return;
	}

	let url;
	try {
		url = new URL(data.url, location.href).href; // X calls relative and absolute URLs alike
	} catch {
		return;
	}

	if (options.marks) {
		learnAccounts(data.body);
	}

	const handle = store.add(data.operation, url, data.body);
	if (handle) {
		for (const listener of captureListeners) {
			listener(handle);
		}
	}
});

window.addEventListener('popstate', onNavigation);

// The popup asks for what was analysed, to open the full report page on it.
api.runtime.onMessage.addListener((/** @type {any} */ message, /** @type {any} */ _sender, /** @type {(response: unknown) => void} */ sendResponse) => {
	if (message?.type === 'bundle') {
		const page = current?.page;
		sendResponse(page?.payload ? {handle: page.handle, ...page.payload} : null);
	}

	return false;
});

/** @param {import('../shared/options.js').Options} chosen */
function useOptions(chosen) {
	options = chosen;
	useMarkOptions(chosen.marks, chosen.badges);
}

async function start() {
	try {
		useOptions(withDefaults(await api.storage.local.get(null)));
	} catch {}

	api.storage.onChanged.addListener((/** @type {any} */ _changes, /** @type {string} */ area) => {
		if (area !== 'local') {
			return;
		}

		void api.storage.local.get(null).then((/** @type {Record<string, any>} */ stored) => {
			useOptions(withDefaults(stored));
			if (current?.page) {
				// New settings (token, badges, server): analyse again.
				current.page.row?.remove();
				current.page.row = null;
				current.page.retries = 0;
				reanalyse(current.page);
			}
		});
	});
	onNavigation();
}

void start();
