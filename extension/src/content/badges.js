// Draws the badge row with DOM APIs and textContent only: page text never becomes HTML.
import {READING_AUDIENCE, READING_POSTS, awaitsPosts, badgeModels, percent, reportNotice, stateMessage} from './badge-text.js';

export const ROW_CLASS = 'profilelens-row';

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, className, text) {
	const node = document.createElement(tag);
	node.className = className;
	if (text !== undefined) {
		node.textContent = text;
	}

	return node;
}

let tipCounter = 0;

/**
 * A focusable chip whose reasons show on hover and focus.
 * @param {{caption: string, value: string, detail?: string, ariaLabel: string, tips: string[], tone: string,
 *   key: string, mix?: import('./badge-text.js').MixPart[]}} model
 */
function chip(model) {
	const badge = element('span', `profilelens-badge profilelens-${model.tone}`);
	badge.dataset.badge = model.key;
	badge.tabIndex = 0;
	badge.setAttribute('role', 'note');
	badge.setAttribute('aria-label', model.ariaLabel);
	badge.append(element('span', 'profilelens-caption', model.caption));
	if (model.mix) {
		const bar = element('span', 'profilelens-mix');
		bar.setAttribute('aria-hidden', 'true');
		for (const part of model.mix) {
			const segment = element('span', `profilelens-mix-${part.kind}`);
			segment.style.flexGrow = String(part.share);
			segment.title = `${percent(part.share)} ${part.label}`;
			bar.append(segment);
		}

		badge.append(bar);
	}

	if (model.value) {
		badge.append(element('span', 'profilelens-value', model.value));
	}

	if (model.detail) {
		badge.append(element('span', 'profilelens-detail', model.detail));
	}

	const tip = element('span', 'profilelens-tip');
	tip.id = `profilelens-tip-${++tipCounter}`;
	tip.setAttribute('role', 'tooltip');
	for (const line of model.tips) {
		tip.append(element('span', 'profilelens-tip-line', line));
	}

	badge.setAttribute('aria-describedby', tip.id);
	badge.append(tip);
	return badge;
}

/**
 * X's theme from its page background: light (white), dim (rgb(21, 32, 43)) or lights out (black). The
 * row paints its own colours for it, never inheriting X's text colour (which can be black on black).
 * @param {string} background a computed CSS colour, "rgb(r, g, b)"
 * @returns {'light' | 'dark'}
 */
export function themeOf(background) {
	const [red, green, blue] = (background.match(/[\d.]+/g) ?? []).map(Number);
	if (blue === undefined) {
		return 'light';
	}

	return (0.2126 * red) + (0.7152 * green) + (0.0722 * blue) < 128 ? 'dark' : 'light';
}

/** The theme of X's page, which X paints on body (or html). */
export const pageTheme = () => themeOf(pageBackground());

function pageBackground() {
	for (const node of [document.body, document.documentElement]) {
		const color = node ? getComputedStyle(node).backgroundColor : '';
		if (color && color !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(color)) {
			return color;
		}
	}

	return 'rgb(255, 255, 255)';
}

/**
 * @param {string} handle
 * @param {HTMLElement} anchor X's element the row takes its font from
 */
function emptyRow(handle, anchor) {
	const row = element('div', ROW_CLASS);
	row.dataset.handle = handle;
	row.dataset.theme = pageTheme();
	row.setAttribute('role', 'group');
	row.setAttribute('aria-label', `ProfileLens analysis of @${handle}`);
	row.style.fontFamily = getComputedStyle(anchor).fontFamily;
	return row;
}

/**
 * @param {string} text
 * @param {() => void} onClick
 */
function linkButton(text, onClick) {
	const button = element('button', 'profilelens-link', text);
	button.type = 'button';
	button.addEventListener('click', onClick);
	return button;
}

/**
 * @typedef {{
 *   choice: import('../shared/options.js').BadgeChoice, readingPosts: boolean, audiencePage: boolean,
 *   openOptions: () => void, openReport: () => void,
 * }} RowContext
 */

/**
 * The row for one analysis result.
 * @param {string} handle
 * @param {HTMLElement} anchor
 * @param {import('../shared/protocol.js').AnalysisResult | {state: 'loading'}} result
 * @param {RowContext} context
 */
export function renderRow(handle, anchor, result, context) {
	const row = emptyRow(handle, anchor);
	row.dataset.state = result.state;
	if (result.state === 'loading') {
		row.setAttribute('aria-busy', 'true');
		const doing = context.readingPosts ? READING_POSTS : 'analysing…';
		row.append(element('span', 'profilelens-badge profilelens-muted profilelens-status', `ProfileLens: ${doing}`));
		return row;
	}

	if (result.state !== 'ok' || !('report' in result) || !result.report) {
		const message = stateMessage(/** @type {import('../shared/protocol.js').AnalysisResult} */ (result));
		const badge = chip({
			key: 'status', caption: message.text, value: '', detail: message.detail, tone: 'muted',
			ariaLabel: `${message.text}. ${message.detail}`, tips: [message.detail],
		});
		badge.classList.add('profilelens-status');
		row.append(badge);
		if (message.action === 'options') {
			row.append(linkButton('Open options', context.openOptions));
		}

		return row;
	}

	const report = result.report;
	const reading = context.readingPosts && awaitsPosts(report);
	if (reading) {
		// Not a verdict yet: the page is still loading the posts it rests on.
		row.dataset.state = 'reading';
		row.setAttribute('aria-busy', 'true');
	}

	// On a followers list, its Audience badge reads it until the worker's comes.
	for (const model of badgeModels(report, context.choice, reading, result.audience ?? (context.audiencePage ? READING_AUDIENCE : undefined))) {
		row.append(chip(model));
	}

	const notice = reportNotice(report, reading);
	if (notice) {
		row.append(element('span', 'profilelens-notice', notice));
	}

	row.append(linkButton('Full report', context.openReport));
	return row;
}
