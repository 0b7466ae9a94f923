// The options page: server URL, pairing token, time zone and badge choice, saved to storage.local.
import {api} from '../shared/api.js';
import {isLoopbackUrl, loadOptions} from '../shared/options.js';

const form = /** @type {HTMLFormElement} */ (document.querySelector('#options'));
const status = /** @type {HTMLElement} */ (document.querySelector('#status'));
const BADGES = /** @type {const} */ (['followBack', 'volume', 'mix', 'verdict']);

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
		status.textContent = 'The server URL must be http://127.0.0.1:PORT or http://localhost:PORT.';
		return;
	}

	if (!isTimeZone(timeZone)) {
		status.textContent = `Unknown time zone: ${timeZone}`;
		return;
	}

	/** @type {Record<string, boolean>} */
	const badges = {};
	for (const badge of BADGES) {
		badges[badge] = field(badge).checked;
	}

	await api.storage.local.set({serverUrl, token: field('token').value.trim(), timeZone, badges});
	status.textContent = 'Saved.';
});

document.querySelector('#check')?.addEventListener('click', async () => {
	const serverUrl = field('serverUrl').value.trim().replace(/\/+$/, '');
	status.textContent = 'Checking…';
	try {
		const response = await fetch(`${serverUrl}/healthz`, {cache: 'no-store'});
		status.textContent = response.ok ? 'The server is running.' : `The server answered ${response.status}.`;
	} catch {
		status.textContent = 'No server there. Start it with: profilelens serve';
	}
});

void fill();
