// The GraphQL bodies seen on this tab, grouped by account, ready to send as one bundle.
import {AUDIENCE_OPERATIONS, PROFILE_OPERATIONS, graphqlVariables} from '../shared/protocol.js';

/** Pages of one timeline kept per account: enough for the ratings, bounded for long scrolls. */
const MAX_TIMELINE_PAGES = 40;
/** Pages of followers and following kept per account (about 20 accounts each): its audience, bounded. */
export const MAX_AUDIENCE_PAGES = 25;

/** X's words for an account it will not show, as the badges name them. */
export const NOT_FOUND = 'NotFound';

/**
 * What a UserByScreenName or AboutAccountQuery body says of its account, read without assuming its
 * schema: its id and handle; or, when X has no account to show, the handle asked for (from the URL) and
 * why: `UserUnavailable`'s reason ("Suspended"...) or NOT_FOUND for a bare `{"data":{}}`; else null.
 * @param {string} body
 * @param {string} [url]
 * @returns {{id: string, handle: string} | {handle: string, unavailable: string} | null}
 */
export function userOf(body, url = '') {
	let answer;
	try {
		answer = JSON.parse(body);
	} catch {
		return null;
	}

	const data = answer?.data;
	const result = (data?.user ?? data?.user_result_by_screen_name)?.result;
	const id = result?.rest_id;
	const handle = result?.core?.screen_name ?? result?.legacy?.screen_name;
	if (typeof id === 'string' && typeof handle === 'string') {
		return {id, handle};
	}

	const variables = graphqlVariables(url);
	const asked = variables.screen_name ?? variables.screenName;
	// An answer with errors (rate limit, X's own trouble) says nothing about the account.
	if (typeof asked !== 'string' || !data || typeof data !== 'object' || answer.errors) {
		return null;
	}

	if (result?.__typename === 'UserUnavailable') {
		const reason = result.reason ?? result.unavailable_reason;
		return {handle: asked, unavailable: typeof reason === 'string' && reason ? reason : 'Unavailable'};
	}

	return result === undefined || result === null ? {handle: asked, unavailable: NOT_FOUND} : null;
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

/** @typedef {import('../shared/protocol.js').CaptureItem} CaptureItem */

export class CaptureStore {
	/** @type {Map<string, {id: string} & CaptureItem>} lower-case handle -> profile answer */
	#profiles = new Map();
	/** @type {Map<string, CaptureItem>} lower-case handle -> AboutAccountQuery answer */
	#about = new Map();
	/** @type {Map<string, string>} lower-case handle -> why X shows no account */
	#unavailable = new Map();
	/** @type {Map<string, Map<string, string>>} account id -> timeline URL -> body */
	#timelines = new Map();
	/** @type {Map<string, Map<string, string>>} account id -> followers or following page URL -> body */
	#audiences = new Map();

	/**
	 * Keeps one capture; answers the lower-case handle it belongs to, when known.
	 * @param {string} operation
	 * @param {string} url the request's absolute URL (it names the operation in saved captures)
	 * @param {string} body
	 * @returns {string | null}
	 */
	add(operation, url, body) {
		const audience = AUDIENCE_OPERATIONS.has(operation);
		if (!PROFILE_OPERATIONS.has(operation) && !audience) {
			return null; // another page's answer (a home timeline, a search): not one profile's
		}

		if (operation === 'UserByScreenName' || operation === 'AboutAccountQuery') {
			const user = userOf(body, url);
			if (!user) {
				return null;
			}

			const key = user.handle.toLowerCase();
			if ('unavailable' in user) {
				this.#profiles.delete(key);
				this.#unavailable.set(key, user.unavailable);
			} else if (operation === 'AboutAccountQuery') {
				this.#about.set(key, {url, body});
			} else {
				this.#unavailable.delete(key);
				this.#profiles.set(key, {id: user.id, url, body});
			}

			return key;
		}

		const userId = graphqlVariables(url).userId;
		if (typeof userId !== 'string' || !isJsonObject(body)) {
			return null;
		}

		const [kept, max] = audience ? [this.#audiences, MAX_AUDIENCE_PAGES] : [this.#timelines, MAX_TIMELINE_PAGES];
		const pages = kept.get(userId) ?? new Map();
		pages.delete(url);
		pages.set(url, body);
		while (pages.size > max) {
			pages.delete(/** @type {string} */ (pages.keys().next().value));
		}

		kept.set(userId, pages);
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
	 * The answers for one account, each with its request URL: its profile first, its "About this
	 * account" when seen, its timeline pages in arrival order, then its followers and following pages
	 * (their URLs name the account: the server reads its audience from them); or why X shows no such
	 * account.
	 * @param {string} handle
	 * @returns {{captures: CaptureItem[], timelinePages: number, unavailable?: string}}
	 */
	bundle(handle) {
		const key = handle.toLowerCase();
		const profile = this.#profiles.get(key);
		if (!profile) {
			const unavailable = this.#unavailable.get(key);
			return unavailable ? {captures: [], timelinePages: 0, unavailable} : {captures: [], timelinePages: 0};
		}

		const about = this.#about.get(key);
		/** @param {Map<string, Map<string, string>>} kept */
		const pagesIn = kept => [...(kept.get(profile.id) ?? [])].map(([url, body]) => ({url, body}));
		const pages = pagesIn(this.#timelines);
		const first = {url: profile.url, body: profile.body};
		return {captures: [first, ...(about ? [about] : []), ...pages, ...pagesIn(this.#audiences)], timelinePages: pages.length};
	}
}
