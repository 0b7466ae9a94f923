// The GraphQL bodies seen on this tab, grouped by account, ready to send as one bundle.
import {graphqlVariables} from '../shared/protocol.js';

/** Pages of one timeline kept per account: enough for the ratings, bounded for long scrolls. */
const MAX_TIMELINE_PAGES = 40;

/**
 * The account id and handle of a UserByScreenName body, read without assuming its schema.
 * @param {string} body
 * @returns {{id: string, handle: string} | null}
 */
export function userOf(body) {
	try {
		const result = JSON.parse(body)?.data?.user?.result;
		const id = result?.rest_id;
		const handle = result?.core?.screen_name ?? result?.legacy?.screen_name;
		return typeof id === 'string' && typeof handle === 'string' ? {id, handle} : null;
	} catch {
		return null;
	}
}

/**
 * Bodies are joined as they are into the bundle sent to the server: each must be one JSON object, or a
 * script of the page could bend the bundle's structure.
 * @param {string} body
 */
export function isJsonObject(body) {
	try {
		const value = JSON.parse(body);
		return value !== null && typeof value === 'object' && !Array.isArray(value);
	} catch {
		return false;
	}
}

export class CaptureStore {
	/** @type {Map<string, {id: string, body: string}>} lower-case handle -> profile body */
	#profiles = new Map();
	/** @type {Map<string, Map<string, string>>} account id -> timeline URL -> body */
	#timelines = new Map();

	/**
	 * Keeps one capture; answers the lower-case handle it belongs to, when known.
	 * @param {string} operation
	 * @param {string} url
	 * @param {string} body
	 * @returns {string | null}
	 */
	add(operation, url, body) {
		if (operation === 'UserByScreenName') {
			const user = userOf(body);
			if (!user) {
				return null;
			}

			this.#profiles.set(user.handle.toLowerCase(), {id: user.id, body});
			return user.handle.toLowerCase();
		}

		const userId = graphqlVariables(url).userId;
		if (typeof userId !== 'string' || !isJsonObject(body)) {
			return null;
		}

		const pages = this.#timelines.get(userId) ?? new Map();
		pages.delete(url);
		pages.set(url, body);
		while (pages.size > MAX_TIMELINE_PAGES) {
			pages.delete(/** @type {string} */ (pages.keys().next().value));
		}

		this.#timelines.set(userId, pages);
		return this.handleOf(userId);
	}

	/**
	 * @param {string} userId
	 * @returns {string | null}
	 */
	handleOf(userId) {
		for (const [handle, profile] of this.#profiles) {
			if (profile.id === userId) {
				return handle;
			}
		}

		return null;
	}

	/**
	 * The bodies for one account: its profile first, then its timeline pages in arrival order.
	 * @param {string} handle
	 * @returns {{captures: string[], timelinePages: number}}
	 */
	bundle(handle) {
		const profile = this.#profiles.get(handle.toLowerCase());
		if (!profile) {
			return {captures: [], timelinePages: 0};
		}

		const pages = [...(this.#timelines.get(profile.id)?.values() ?? [])];
		return {captures: [profile.body, ...pages], timelinePages: pages.length};
	}
}
