// The options page: server URL, pairing token, time zone, badge choice and marks, saved to storage.local.
import {api} from '../shared/api.js';
import {isLoopbackUrl, loadOptions, withDefaults} from '../shared/options.js';
import {connectionRequest, connectionVerdict} from '../background/server.js';

const form = /** @type {HTMLFormElement} */ (document.querySelector('#options'));
const status = /** @type {HTMLElement} */ (document.querySelector('#status'));
const BADGES = /** @type {const} */ (['followBack', 'volume', 'mix', 'verdict', 'audience']);
const NOT_LOOPBACK = 'The server URL must be http://127.0.0.1:PORT or http://localhost:PORT.';
const CHECK_TIMEOUT_MS = 10_000;

/**
 * @param {string} text
 * @param {string | null} problem what is wrong, for the page's colours: server, token, browser, or none
 */
function show(text, problem) {
	status.textContent = text;
	status.dataset.problem = problem ?? 'none';
}

/** @param {string} name */
const field = name => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

async function fill() {
	const options = await loadOptions();
	field('serverUrl').value = options.serverUrl;
	field('token').value = options.token;
	field('timeZone').value = options.timeZone;
	for (const badge of BADGES) {
		field(badge).checked = options.badges[badge];
	}

	field('marks').checked = options.marks;

	const zones = /** @type {any} */ (Intl).supportedValuesOf?.('timeZone') ?? [];
	const list = /** @type {HTMLDataListElement} */ (document.querySelector('#timeZones'));
	for (const zone of zones) {
		const option = document.createElement('option');
		option.value = zone;
		list.append(option);
	}
}

/** @param {string} zone */
function isTimeZone(zone) {
	try {
		new Intl.DateTimeFormat('en', {timeZone: zone});
		return true;
	} catch {
		return false;
	}
}

form.addEventListener('submit', async event => {
	event.preventDefault();
	const serverUrl = field('serverUrl').value.trim().replace(/\/+$/, '');
	const timeZone = field('timeZone').value.trim() || 'UTC';
	if (!isLoopbackUrl(serverUrl)) {
		show(NOT_LOOPBACK, 'server');
		return;
	}

	if (!isTimeZone(timeZone)) {
		show(`Unknown time zone: ${timeZone}`, 'timezone');
		return;
	}

	/** @type {Record<string, boolean>} */
	const badges = {};
	for (const badge of BADGES) {
		badges[badge] = field(badge).checked;
	}

	await api.storage.local.set({serverUrl, token: field('token').value.trim(), timeZone, badges, marks: field('marks').checked});
	show('Saved.', null);
});

// Checks what the form holds (saved or not): is the server there, and does it take this token?
document.querySelector('#check')?.addEventListener('click', async () => {
	const serverUrl = field('serverUrl').value.trim().replace(/\/+$/, '');
	if (!isLoopbackUrl(serverUrl)) {
		show(NOT_LOOPBACK, 'server');
		return;
	}

	const token = field('token').value.trim();
	const request = connectionRequest({...withDefaults({}), serverUrl, token});
	show('Checking…', null);
	/** @type {number | null} */
	let answered = null;
	let body = null;
	try {
		const response = await fetch(request.url, {...request.init, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS)});
		answered = response.status;
		body = await response.json().catch(() => null);
	} catch {}

	const verdict = connectionVerdict(answered, body, Boolean(token), api.runtime.id);
	show(verdict.text, verdict.problem);
});

void fill();
