// The full report of the server for a tab's profile. The page asks the tab for the captures it analysed
// and posts them to the server's report page from here (a request that carries the extension's Origin
// and the token in a header), then shows the answer sandboxed.
import {api} from '../shared/api.js';
import {loadOptions} from '../shared/options.js';
import {bundleBody, reportUrl} from '../background/server.js';

const status = /** @type {HTMLElement} */ (document.querySelector('#status'));
const frame = /** @type {HTMLIFrameElement} */ (document.querySelector('#report'));

async function load() {
	const query = new URLSearchParams(location.search);
	const tabId = Number(query.get('tab'));
	const options = await loadOptions();
	/** @type {{handle: string, captures?: import('../shared/protocol.js').CaptureItem[], dom?: object} | null} */
	let payload = null;
	try {
		payload = await api.tabs.sendMessage(tabId, {type: 'bundle'});
	} catch {}

	const handle = payload?.handle ?? query.get('handle') ?? '';
	document.title = `ProfileLens report: @${handle}`;
	const url = new URL(reportUrl(options, handle, Boolean(payload)));
	url.searchParams.delete('token');
	let response;
	try {
		response = await fetch(url, {
			method: payload ? 'POST' : 'GET',
			headers: {Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json'},
			body: payload ? bundleBody(options, payload) : undefined,
			credentials: 'omit',
		});
	} catch {
		status.textContent = 'The ProfileLens server is not running. Start it with: profilelens serve';
		return;
	}

	if (response.status === 401) {
		status.textContent = 'Not paired: paste the token from "profilelens token" in the extension\'s options.';
		return;
	}

	frame.srcdoc = await response.text();
	status.textContent = '';
}

void load();
