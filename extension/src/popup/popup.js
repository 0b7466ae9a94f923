// The toolbar popup: the current tab's profile (as the worker last saw it), one card per rating, a
// button that opens the full report page on the same captures, and the saving of captures as files
// (`profilelens vet` and `profilelens report` read them).
import {api} from '../shared/api.js';
import {loadOptions} from '../shared/options.js';
import {reportPagePath} from '../shared/protocol.js';
import {CAPTURE_FOLDER, captureFileName, capturedToday, localDay} from '../shared/capture-log.js';
import {saveFile} from '../shared/downloads.js';
import {bundleBody} from '../background/server.js';
import {badgeModels, reportNotice, stateMessage} from '../content/badge-text.js';

/** @param {string} id */
const byId = id => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} className
 * @param {string} text
 */
function element(tag, className, text) {
	const node = document.createElement(tag);
	node.className = className;
	node.textContent = text;
	return node;
}

/** The tab the popup speaks of: the active one, or ?tab=ID when opened in a tab of its own. */
async function targetTab() {
	const asked = Number(new URLSearchParams(location.search).get('tab'));
	if (Number.isInteger(asked) && asked > 0) {
		return asked;
	}

	const [tab] = await api.tabs.query({active: true, currentWindow: true});
	return tab?.id;
}

/** Reasons shown per card; the full report has them all. */
const REASONS_SHOWN = 3;

/**
 * One rating as a card: caption and value, the report's own detail, and why (the badge's first tips;
 * the last one, how many posts it rests on, is said once in the summary line).
 * @param {import('../content/badge-text.js').BadgeModel} model
 */
function card(model) {
	const node = element('article', `card tone-${model.tone}`, '');
	node.dataset.badge = model.key;
	const head = element('div', 'card-head', '');
	head.append(element('p', 'card-caption', model.caption), element('p', 'card-value', model.value));
	node.append(head);
	if (model.detail) {
		node.append(element('p', 'card-detail', model.detail));
	}

	const why = model.tips.slice(0, -1).slice(0, REASONS_SHOWN);
	if (why.length > 0) {
		const list = element('ul', 'card-why', '');
		list.append(...why.map(line => element('li', '', line)));
		node.append(list);
	}

	return node;
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
	const summary = byId('summary');
	if (!entry.result) {
		summary.textContent = 'Waiting for the page…';
		return;
	}

	if (entry.result.state !== 'ok') {
		const message = stateMessage(entry.result);
		summary.textContent = `${message.text}. ${message.detail}`;
		summary.dataset.state = entry.result.state;
		return;
	}

	const report = entry.result.report;
	if (report.account.name) {
		byId('name').textContent = report.account.name;
		byId('name').hidden = false;
	}

	const postsSeen = report.data.posts_seen;
	summary.textContent = reportNotice(report) ?? `Based on ${postsSeen} post${postsSeen === 1 ? '' : 's'} seen on the page.`;
	byId('cards').append(...badgeModels(report, options.badges, false, entry.result.audience).map(model => card(model)));
	const button = byId('report');
	button.hidden = false;
	button.addEventListener('click', () => {
		void api.tabs.create({url: api.runtime.getURL(reportPagePath(/** @type {number} */ (tabId), entry.handle))});
	});
}

/**
 * @param {string} text
 * @param {boolean} [problem]
 */
function said(text, problem = false) {
	byId('saved').textContent = text;
	byId('saved').dataset.problem = String(problem);
}

/**
 * Saves files one after the other, and says where they went.
 * @param {{name: string, text: string}[]} files
 */
async function save(files) {
	for (const button of document.querySelectorAll('#save, #saveAll')) {
		/** @type {HTMLButtonElement} */ (button).disabled = true;
	}

	said('Saving…');
	const paths = [];
	try {
		for (const file of files) {
			paths.push(await saveFile(file.name, file.text));
		}
	} catch (error) {
		said(`Not saved: ${error instanceof Error ? error.message : String(error)}`, true);
		return;
	} finally {
		for (const button of document.querySelectorAll('#save, #saveAll')) {
			/** @type {HTMLButtonElement} */ (button).disabled = false;
		}
	}

	const folder = paths[0].replace(/[^/\\]+$/, '');
	said(paths.length === 1
		? `Saved ${paths[0]}`
		: `Saved ${paths.length} files in ${folder} (vet them with: profilelens vet ${folder})`);
}

/** "Save capture": what the tab's badges rest on, as the bundle the server analysed. */
async function offerSave() {
	const tabId = await targetTab();
	/** @type {{handle: string, captures?: import('../shared/protocol.js').CaptureItem[], dom?: object} | null} */
	let payload = null;
	try {
		payload = tabId === undefined ? null : await api.tabs.sendMessage(tabId, {type: 'bundle'});
	} catch {}

	if (!payload?.handle || !(payload.captures?.length || payload.dom)) {
		return;
	}

	const options = await loadOptions();
	const button = byId('save');
	button.hidden = false;
	byId('saves').hidden = false;
	button.addEventListener('click', () => void save([{
		name: captureFileName(payload.handle, localDay(new Date())), text: bundleBody(options, payload),
	}]));
}

/** "Save all captured today": one file per account into the day's folder. */
async function offerSaveAll() {
	const today = await capturedToday().catch(() => []);
	if (today.length === 0) {
		return;
	}

	const button = byId('saveAll');
	button.textContent = `Save all captured today (${today.length} account${today.length === 1 ? '' : 's'})`;
	button.title = `One file per account in ${CAPTURE_FOLDER}/${today[0].day}/ in your downloads`;
	button.hidden = false;
	byId('saves').hidden = false;
	button.addEventListener('click', () => void save(today.map(entry => ({
		name: captureFileName(entry.handle, entry.day), text: entry.bundle,
	}))));
}

byId('options').addEventListener('click', () => {
	void api.runtime.openOptionsPage();
});

void show();
void offerSave();
void offerSaveAll();
