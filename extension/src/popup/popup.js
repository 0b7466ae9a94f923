// The toolbar popup: the current tab's profile summary (as the worker last saw it) and its report link.
import {api} from '../shared/api.js';
import {loadOptions} from '../shared/options.js';
import {reportUrl} from '../background/server.js';
import {badgeModels, reportNotice, stateMessage} from '../content/badge-text.js';

/** @param {string} id */
const byId = id => /** @type {HTMLElement} */ (document.getElementById(id));

async function show() {
	const options = await loadOptions();
	const [tab] = await api.tabs.query({active: true, currentWindow: true});
	const key = `tab:${tab?.id}`;
	const entry = tab?.id === undefined ? undefined : (await api.storage.session.get(key))[key];
	if (!entry?.handle) {
		return;
	}

	byId('title').textContent = `@${entry.handle}`;
	const report = /** @type {HTMLAnchorElement} */ (byId('report'));
	if (options.token) {
		report.href = reportUrl(options, entry.handle);
		report.hidden = false;
	}

	if (!entry.result) {
		byId('summary').textContent = 'Waiting for the page…';
		return;
	}

	if (entry.result.state !== 'ok') {
		const message = stateMessage(entry.result);
		byId('summary').textContent = `${message.text}. ${message.detail}`;
		return;
	}

	const account = entry.result.report.account;
	byId('summary').textContent = reportNotice(entry.result.report)
		?? `${account.name ?? entry.handle}: ${entry.result.report.data.posts_seen} posts seen.`;
	const list = byId('lines');
	for (const model of badgeModels(entry.result.report, options.badges)) {
		const item = document.createElement('li');
		const caption = document.createElement('strong');
		caption.textContent = `${model.caption}: `;
		item.append(caption, [model.value, model.detail].filter(Boolean).join(' · '));
		const why = model.tips.slice(0, -1).join(' — ');
		if (why) {
			const detail = document.createElement('span');
			detail.className = 'hint';
			detail.textContent = ` (${why})`;
			item.append(detail);
		}

		list.append(item);
	}
}

byId('options').addEventListener('click', event => {
	event.preventDefault();
	void api.runtime.openOptionsPage();
	window.close();
});

void show();
