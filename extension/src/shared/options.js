// The user's settings, with their defaults in one place. Stored in storage.local (never synced: the
// token pairs this browser with this machine's server).
import {api} from './api.js';

/**
 * @typedef {{followBack: boolean, volume: boolean, mix: boolean, verdict: boolean, audience: boolean}} BadgeChoice
 * @typedef {{serverUrl: string, token: string, badges: BadgeChoice, timeZone: string, marks: boolean}} Options
 * `marks`: the marks beside authors' names in timelines, replies, hover cards, searches, lists.
 */

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8642';

/** @returns {Options} */
export function defaultOptions() {
	return {
		serverUrl: DEFAULT_SERVER_URL,
		token: '',
		badges: {followBack: true, volume: true, mix: true, verdict: true, audience: true},
		timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
		marks: true,
	};
}

/**
 * Stored values over the defaults; anything malformed falls back to its default.
 * @param {Record<string, any>} stored
 * @returns {Options}
 */
export function withDefaults(stored) {
	const options = defaultOptions();
	if (typeof stored.serverUrl === 'string' && stored.serverUrl.trim()) {
		options.serverUrl = stored.serverUrl.trim().replace(/\/+$/, '');
	}

	if (typeof stored.token === 'string') {
		options.token = stored.token.trim();
	}

	if (stored.badges && typeof stored.badges === 'object') {
		for (const key of /** @type {(keyof BadgeChoice)[]} */ (Object.keys(options.badges))) {
			if (typeof stored.badges[key] === 'boolean') {
				options.badges[key] = stored.badges[key];
			}
		}
	}

	if (typeof stored.marks === 'boolean') {
		options.marks = stored.marks;
	}

	if (typeof stored.timeZone === 'string' && stored.timeZone.trim()) {
		options.timeZone = stored.timeZone.trim();
	}

	return options;
}

/** @returns {Promise<Options>} */
export async function loadOptions() {
	const stored = await api.storage.local.get(['serverUrl', 'token', 'badges', 'timeZone', 'marks']);
	return withDefaults(stored);
}

/**
 * Only loopback servers: the extension's host permissions cover nothing else.
 * @param {string} url
 */
export function isLoopbackUrl(url) {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(parsed.hostname);
	} catch {
		return false;
	}
}
