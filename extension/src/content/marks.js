// Compact marks next to authors' names outside the profile header (posts, replies, hover cards,
// searches, lists of people), for the accounts already analysed or whose data the page fetched: never a
// request to X. X's answers go to the worker, which has the server analyse the accounts in them (one
// request an answer). Added nodes are looked at once a frame, at most MAX_SLOTS a pass; the handles a
// pass finds are asked of the worker in one message.
import {api} from '../shared/api.js';
import {SELECTORS, handleSpan} from './selectors.js';
import {markModel} from './badge-text.js';
import {pageTheme} from './badges.js';

export const MARK_CLASS = 'profilelens-mark';
const SLOT = SELECTORS.nameSlot;
/** Name slots drawn per frame; the others wait for the next frames. */
const MAX_SLOTS = 40;
/** More added nodes than this waiting: the next passes look at the whole page once instead. */
const MAX_NODES = 500;
/** A state that may change (server off, not paired) is asked again after this. */
const RETRY_MS = 15_000;
/** States that stay as they are until the settings change. */
const SETTLED = new Set(['ok', 'unavailable', 'loading']);

/**
 * @typedef {import('../shared/protocol.js').AnalysisResult | {state: 'loading'} | null} Shown
 * @typedef {{result: Shown, reading: boolean, at: number}} Known
 */

/** @type {Map<string, Known>} lower-case handle -> what its marks show */
const known = new Map();
/** @type {Element[]} */
let nodes = [];
/** @type {Element[]} */
let slots = [];
let pending = false;
let enabled = true;
/** @type {import('../shared/options.js').BadgeChoice} */
let choice = {followBack: true, volume: true, mix: true, verdict: true, audience: true};
/** Bumped by new settings: every mark is drawn again. */
let generation = 0;

/**
 * One of X's answers: the worker has the accounts in it analysed; then the marks nothing was known for
 * are asked again.
 * @param {string} body
 */
export function learnAccounts(body) {
	void api.runtime.sendMessage({type: 'accounts', body}).catch(() => {}).then(() => {
		for (const [handle, {result}] of known) {
			if (!result) {
				known.delete(handle);
			}
		}

		lookAgain();
	});
}

/**
 * What this tab's own analysis says of an account (the profile on screen), as its badge row does.
 * @param {string} handle
 * @param {Shown} result
 * @param {boolean} reading
 */
export function showResult(handle, result, reading) {
	known.set(handle.toLowerCase(), {result, reading, at: Date.now()});
	lookAgain();
}

/**
 * New settings: marks on or off, the badges chosen; states that may change are asked again.
 * @param {boolean} on
 * @param {import('../shared/options.js').BadgeChoice} badges
 */
export function useMarkOptions(on, badges) {
	enabled = on;
	choice = badges;
	generation++;
	for (const [handle, {result}] of known) {
		if (!SETTLED.has(result?.state ?? '')) {
			known.delete(handle);
		}
	}

	lookAgain();
}

function lookAgain() {
	nodes = [document.documentElement];
	schedule();
}

function schedule() {
	if (!pending && (nodes.length > 0 || slots.length > 0)) {
		pending = true;
		requestAnimationFrame(pass);
	}
}

new MutationObserver(records => {
	for (const record of records) {
		for (const node of record.addedNodes) {
			if (enabled && node instanceof Element && !node.classList.contains(MARK_CLASS)) {
				nodes.push(node);
			}
		}
	}

	schedule();
}).observe(document, {childList: true, subtree: true});

function pass() {
	pending = false;
	if (!enabled) {
		nodes = [];
		slots = [];
		for (const mark of document.querySelectorAll(`.${MARK_CLASS}`)) {
			mark.remove();
		}

		return;
	}

	if (nodes.length > MAX_NODES) {
		nodes = [document.documentElement];
	}

	while (slots.length < MAX_SLOTS && nodes.length > 0) {
		const node = /** @type {Element} */ (nodes.shift());
		slots.push(...(node.matches(SLOT) ? [node] : node.querySelectorAll(SLOT)));
	}

	const found = [];
	/** @type {Set<string>} */
	const due = new Set();
	for (const slot of slots.splice(0, MAX_SLOTS)) {
		// The innermost slot gets the mark (a hover card may hold a user cell).
		const shown = slot.isConnected && !slot.querySelector(SLOT) ? handleSpan(slot) : null;
		if (shown) {
			const handle = shown.handle.toLowerCase();
			found.push({slot, span: shown.span, handle});
			if (isDue(handle)) {
				due.add(handle);
			}
		}
	}

	if (due.size > 0) {
		void ask([...due]);
	}

	const theme = pageTheme();
	for (const {slot, span, handle} of found) {
		draw(slot, span, handle, theme);
	}

	schedule();
}

/** @param {string} handle */
function isDue(handle) {
	const entry = known.get(handle);
	return !entry || (entry.result && !SETTLED.has(entry.result.state) && Date.now() - entry.at > RETRY_MS);
}

/**
 * Asks the worker what it knows of these accounts (nothing for those it never saw).
 * @param {string[]} handles
 */
async function ask(handles) {
	/** @type {Known} */
	const asking = {result: null, reading: false, at: Date.now()};
	for (const handle of handles) {
		known.set(handle, asking);
	}

	let answer;
	try {
		answer = await api.runtime.sendMessage({type: 'marks', handles});
	} catch {}

	for (const handle of handles) {
		// Unless this tab's own analysis of the account came meanwhile.
		if (known.get(handle) === asking) {
			known.set(handle, {result: answer?.[handle] ?? null, reading: false, at: Date.now()});
		}
	}

	lookAgain();
}

/**
 * @param {Element} slot
 * @param {Element} span the slot's @handle
 * @param {string} handle
 * @param {string} theme
 */
function draw(slot, span, handle, theme) {
	const entry = known.get(handle);
	let mark = /** @type {HTMLElement | null} */ (slot.querySelector(`.${MARK_CLASS}`));
	const version = `${handle}:${entry?.at}:${theme}:${generation}`;
	if (!entry?.result) {
		mark?.remove();
	} else if (mark?.dataset.version !== version) {
		if (!mark) {
			mark = document.createElement('span');
			mark.setAttribute('role', 'note');
			const link = span.closest('a');
			(link && slot.contains(link) ? link : span).after(mark);
		}

		const model = markModel(entry.result, choice, entry.reading);
		mark.className = `${MARK_CLASS} profilelens-${model.tone}`;
		Object.assign(mark.dataset, {handle, state: entry.result.state, theme, version});
		mark.textContent = model.text;
		mark.title = model.tips.join('\n');
		mark.setAttribute('aria-label', `ProfileLens on @${handle}: ${model.tips.join('. ')}`);
	}
}
