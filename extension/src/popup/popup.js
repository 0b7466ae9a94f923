// The toolbar popup: the current tab's profile summary (as the worker last saw it) and a button that
// opens the server's full report page on the same captures.
import {api} from '../shared/api.js';
import {loadOptions} from '../shared/options.js';
import {badgeModels, reportNotice, stateMessage} from '../content/badge-text.js';

/** @param {string} id */
const byId = id => /** @type {HTMLElement} */ (document.getElementById(id));

/** The tab the popup speaks of: the active one, or ?tab=ID when opened in a tab of its own. */
async function targetTab() {
	const asked = Number(new URLSearchParams(location.search).get('tab'));
	if (Number.isInteger(asked) && asked > 0) {
		return asked;
	}

	const [tab] = await api.tabs.query({active: true, currentWindow: true});
	return tab?.id;
}

/**
 * The full report opens in a tab of its own (src/report/), which fetches it for this tab's captures.
 * @param {number} tabId
 * @param {string} handle
 */
async function openReport(tabId, handle) {
	const query = new URLSearchParams({tab: String(tabId), handle});
	await api.tabs.create({url: api.runtime.getURL(`src/report/report.html?${query}`)});
}

async function show() {
	const options = await loadOptions();
	const tabId = await targetTab();
	const key = `tab:${tabId}`;
	const entry = tabId === undefined ? undefined : (await api.storage.session.get(key))[key];
	if (!entry?.handle) {
		return;
	}

	byId('title').textContent = `@${entry.handle}`;
	if (!entry.result) {
		byId('summary').textContent = 'Waiting for the page…';
		return;
	}

	if (entry.result.state !== 'ok') {
		const message = stateMessage(entry.result);
		byId('summary').textContent = `${message.text}. ${message.detail}`;
		return;
	}

	const report = entry.result.report;
	byId('summary').textContent = reportNotice(report)
		?? `${report.account.name ?? entry.handle}: ${report.data.posts_seen} posts seen.`;
	const list = byId('lines');
	for (const model of badgeModels(report, options.badges)) {
		const item = document.createElement('li');
		item.dataset.badge = model.key;
		const caption = document.createElement('strong');
		caption.textContent = `${model.caption}: `;
		item.append(caption, [model.value, model.detail].filter(Boolean).join(' · '));
		const why = model.tips.slice(0, -1).join('; ');
		if (why) {
			const detail = document.createElement('span');
			detail.className = 'hint';
			detail.textContent = ` (${why})`;
			item.append(detail);
		}

		list.append(item);
	}

	const button = byId('report');
	button.hidden = false;
	button.addEventListener('click', () => {
		void openReport(/** @type {number} */ (tabId), entry.handle);
	});
}

byId('options').addEventListener('click', () => {
	void api.runtime.openOptionsPage();
});

void show();
