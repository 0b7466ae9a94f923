// What crosses between the page hook, the content script, the worker and the popup.

export const CAPTURE_MESSAGE = 'profilelens:capture';
export const NAVIGATION_MESSAGE = 'profilelens:navigation';

/** The GraphQL operations whose answers make a profile's bundle, matched by name: their ids rotate.
 * AboutAccountQuery is X's "About this account" (where it is based, its handle changes). */
export const PROFILE_OPERATIONS = new Set(['UserByScreenName', 'AboutAccountQuery', 'UserTweets', 'UserTweetsAndReplies']);

/** The pages of an account's followers and following (x.com/HANDLE/followers, ...): kept with its profile,
 * they give its report the `audience` section (server/API.md), and their accounts get marks. */
export const AUDIENCE_OPERATIONS = new Set(['Followers', 'BlueVerifiedFollowers', 'FollowersYouKnow', 'Following']);

/** X's other answers that carry accounts (post authors, lists of people): read for the marks only. */
const ACCOUNT_OPERATIONS = new Set([
	'HomeTimeline', 'HomeLatestTimeline', 'TweetDetail', 'SearchTimeline', 'UserMedia', 'ListMembers',
	'ListLatestTweetsTimeline', 'Retweeters', 'CommunityTweetsTimeline', 'GenericTimelineById',
]);

const OPERATION_PATH = /\/i\/api\/graphql\/[\w-]+\/(\w+)(?:[?#]|$)/;

/**
 * The operation name when `url` is one of the X GraphQL calls the page hook copies, else null.
 * @param {string} url
 * @returns {string | null}
 */
export function graphqlOperation(url) {
	const name = OPERATION_PATH.exec(url)?.[1] ?? '';
	return PROFILE_OPERATIONS.has(name) || AUDIENCE_OPERATIONS.has(name) || ACCOUNT_OPERATIONS.has(name) ? name : null;
}

/**
 * The `variables` query parameter of a GraphQL URL, decoded; {} when absent or broken.
 * @param {string} url
 * @returns {Record<string, unknown>}
 */
export function graphqlVariables(url) {
	try {
		const raw = new URL(url, 'https://x.com').searchParams.get('variables');
		const parsed = raw ? JSON.parse(raw) : {};
		return parsed && typeof parsed === 'object' ? parsed : {};
	} catch {
		return {};
	}
}

/**
 * The extension's full report page for a tab's profile (src/report/ asks that tab for its captures).
 * @param {number} tabId
 * @param {string} handle
 */
export function reportPagePath(tabId, handle) {
	return `src/report/report.html?${new URLSearchParams({tab: String(tabId), handle})}`;
}

/**
 * One answer of X as captured: the request's absolute URL (it names the GraphQL operation) and the
 * body as received, JSON text. A bundle carries it as the `{"url", "body"}` item of server/API.md; an
 * item without URL (an account taken out of a longer answer, for the marks) as its body alone.
 * @typedef {{url?: string, body: string}} CaptureItem
 */

/**
 * @typedef {'ok' | 'not-running' | 'not-paired' | 'forbidden' | 'unavailable' | 'error'} AnalysisState
 * @typedef {{state: AnalysisState, report?: Report, message?: string,
 *   audience?: import('../content/badge-text.js').BadgeModel}} AnalysisResult `audience`: the Audience
 *   badge, made by the worker (src/background/audience.js) when the report or the bundle has an audience
 * @typedef {{available: boolean, reason: string | null, [key: string]: any}} Section
 * @typedef {{
 *   schema: string,
 *   account: {handle: string, name?: string, follows_you?: boolean | null, protected?: boolean,
 *     followers?: number, following?: number, posts_count?: number | null, based_in?: string | null,
 *     username_changes?: number | null, username_changed_at?: string | null},
 *   data: {posts_seen: number, sources?: string[], notes?: string[]},
 *   volume?: Section, content_mix?: Section, follow?: Section, follow_back?: Section, verdict?: Section,
 *   audience?: Section,
 * }} Report
 */
