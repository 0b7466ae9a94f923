// Which X page is this? Each detector comes with example URLs: they are positive tests for it and
// negative tests for every other detector (test/page-detect.test.js walks the table).

import {HANDLE} from './selectors.js';

/** First path segments that are X's own pages, never a handle. */
const RESERVED = new Set([
	'home', 'explore', 'search', 'notifications', 'messages', 'i', 'settings', 'compose', 'login', 'logout',
	'signup', 'tos', 'privacy', 'jobs', 'bookmarks', 'lists', 'communities', 'premium', 'verified-choose',
	'account', 'intent', 'share', 'hashtag', 'download', 'about', 'help', 'connect_people', 'following',
	'followers', 'topics', 'moments', 'who_to_follow', 'oauth', 'sw.js', 'manifest.json', 'robots.txt',
	'jobs', 'grok', 'ads', 'tweetdeck', 'spaces', 'live',
]);

// control-panel-for-twitter's route, narrowed to the tabs whose timeline we read.
const PROFILE_PATH = new RegExp(`^/(${HANDLE})(?:/(with_replies|media))?/?$`);
// The lists of an account's followers and following: its audience.
const AUDIENCE_PATH = new RegExp(`^/(${HANDLE})/(?:followers|verified_followers|followers_you_follow|following)/?$`);

/**
 * The handle when `url` is a profile's posts, replies or media tab, else null.
 * @param {string | URL} url
 */
export const profileHandle = url => handleIn(url, PROFILE_PATH);

/**
 * The handle when `url` is one of its followers or following lists, else null.
 * @param {string | URL} url
 */
export const audienceHandle = url => handleIn(url, AUDIENCE_PATH);

/**
 * @param {string | URL} url
 * @param {RegExp} path
 * @returns {string | null}
 */
function handleIn(url, path) {
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}

	if (!/^(?:x|twitter)\.com$/.test(parsed.hostname)) {
		return null;
	}

	const match = path.exec(parsed.pathname);
	if (!match || RESERVED.has(match[1].toLowerCase())) {
		return null;
	}

	return match[1];
}

/** @param {string | URL} url */
export const isProfile = url => profileHandle(url) !== null;

/**
 * Example URLs per page kind. `profile` examples are positive for isProfile, `audience` ones for
 * audienceHandle, the others negative for both.
 * @type {Record<string, string[]>}
 */
export const TEST_URLS = {
	profile: [
		'https://x.com/XDevelopers',
		'https://x.com/XDevelopers/',
		'https://x.com/XDevelopers/with_replies',
		'https://x.com/XDevelopers/media',
		'https://twitter.com/jack',
		'https://x.com/a_b_1?lang=fr',
	],
	home: ['https://x.com/home', 'https://x.com/', 'https://twitter.com/home'],
	explore: ['https://x.com/explore', 'https://x.com/explore/tabs/trending', 'https://x.com/search?q=x'],
	internal: ['https://x.com/i/bookmarks', 'https://x.com/i/lists/1', 'https://x.com/settings/account',
		'https://x.com/notifications', 'https://x.com/messages', 'https://x.com/compose/post'],
	audience: ['https://x.com/XDevelopers/followers', 'https://x.com/XDevelopers/verified_followers',
		'https://x.com/XDevelopers/followers_you_follow', 'https://twitter.com/jack/following/'],
	otherProfileTab: ['https://x.com/XDevelopers/likes', 'https://x.com/XDevelopers/highlights',
		'https://x.com/XDevelopers/status/2019881223666233717', 'https://x.com/XDevelopers/followers/extra',
		'https://x.com/following/followers'],
	notX: ['https://example.com/XDevelopers', 'https://mobile.x.com/XDevelopers', 'https://x.com.evil.example/XDevelopers', 'not a url',
		'https://x.com/this_handle_is_far_too_long'],
};
