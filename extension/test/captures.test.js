// Grouping captured GraphQL bodies by account, on the project's own fixtures in X's real shapes.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {CaptureStore, MAX_AUDIENCE_PAGES, NOT_FOUND, userOf} from '../src/content/captures.js';
import {graphqlOperation, graphqlVariables} from '../src/shared/protocol.js';

/** @param {string} name */
const fixture = name => readFileSync(new URL(`../../tests/fixtures/sources/${name}`, import.meta.url), 'utf8');
/** @param {string} operation @param {object} variables */
const url = (operation, variables) => `https://x.com/i/api/graphql/Ab-1_c/${operation}?variables=${encodeURIComponent(JSON.stringify(variables))}&features=%7B%7D`;

test('operations are matched by name whatever their id', () => {
	assert.equal(graphqlOperation(url('UserTweets', {})), 'UserTweets');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/UserTweetsAndReplies'), 'UserTweetsAndReplies');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/UserByScreenName?x=1'), 'UserByScreenName');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/UserTweetsOther'), null);
	// Answers carrying other accounts are copied too, for the marks beside names; never X's other calls.
	assert.equal(graphqlOperation('/i/api/graphql/zz9/HomeTimeline?variables=%7B%7D'), 'HomeTimeline');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/Followers'), 'Followers');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/FollowersYouKnow?variables=%7B%7D'), 'FollowersYouKnow');
	assert.equal(graphqlOperation('/i/api/graphql/zz9/DMInboxTimeline'), null);
	assert.equal(graphqlOperation('/i/api/graphql/zz9/CreateTweet'), null);
	assert.equal(graphqlOperation('https://example.com/UserTweets'), null);
	assert.deepEqual(graphqlVariables(url('UserTweets', {userId: '42'})), {userId: '42'});
	assert.deepEqual(graphqlVariables('/i/api/graphql/zz9/UserTweets?variables=%7Bbroken'), {});
});

test('the account of a UserByScreenName body, in each user schema', () => {
	assert.deepEqual(userOf(fixture('graphql_user_2026.json')), {id: '1500000000000000001', handle: 'AcmeCareers'});
	assert.equal(userOf(fixture('graphql_user_legacy.json'))?.handle, 'MinistryExample');
	assert.equal(userOf(fixture('graphql_user_mid2025.json'))?.handle, 'jane_doe_dev');
	assert.equal(userOf('not json'), null);
	assert.equal(userOf('{"data":{}}'), null);
});

test('a bundle holds the profile first, then its timeline pages, whatever their arrival order', () => {
	const store = new CaptureStore();
	const tweets = fixture('graphql_user_tweets_2026.json');
	assert.equal(store.add('UserTweets', url('UserTweets', {userId: '1500000000000000001'}), tweets), null);
	assert.equal(store.add('UserByScreenName', url('UserByScreenName', {screen_name: 'AcmeCareers'}), fixture('graphql_user_2026.json')), 'acmecareers');
	assert.equal(store.add('UserTweets', url('UserTweets', {userId: '1500000000000000001', cursor: 'b'}), '{}'), 'acmecareers');
	const {captures, timelinePages} = store.bundle('ACMECAREERS');
	assert.equal(timelinePages, 2);
	assert.equal(captures.length, 3);
	assert.equal(userOf(captures[0].body)?.id, '1500000000000000001');
	assert.deepEqual(captures[1], {url: url('UserTweets', {userId: '1500000000000000001'}), body: tweets});
	// Each answer keeps its request's URL: it names the operation in a saved capture.
	assert.deepEqual(captures.map(item => graphqlOperation(item.url)), ['UserByScreenName', 'UserTweets', 'UserTweets']);
	assert.deepEqual(store.bundle('someone_else'), {captures: [], timelinePages: 0});
});

test('answers of other pages (a home timeline, a search) never join a profile\'s bundle', () => {
	const store = new CaptureStore();
	store.add('UserByScreenName', url('UserByScreenName', {}), fixture('graphql_user_2026.json'));
	assert.equal(store.add('HomeTimeline', url('HomeTimeline', {userId: '1500000000000000001'}), '{"data":{}}'), null);
	assert.equal(store.add('SearchTimeline', url('SearchTimeline', {}), '{"data":{}}'), null);
	assert.equal(store.bundle('AcmeCareers').captures.length, 1);
});

test('its followers and following pages join the profile\'s bundle last, with their URLs, bounded', () => {
	const store = new CaptureStore();
	const id = '1500000000000000001';
	const followers = url('Followers', {userId: id, count: 20});
	// A followers page seen before its profile waits for it; another account's pages stay out.
	assert.equal(store.add('Followers', followers, '{"data":{"f":1}}'), null);
	store.add('UserByScreenName', url('UserByScreenName', {}), fixture('graphql_user_2026.json'));
	assert.equal(store.add('BlueVerifiedFollowers', url('BlueVerifiedFollowers', {userId: id}), '{"data":{"v":1}}'), 'acmecareers');
	assert.equal(store.add('Following', url('Following', {userId: '42'}), '{"data":{}}'), null);
	assert.equal(store.add('UserTweets', url('UserTweets', {userId: id}), '{"data":{"t":1}}'), 'acmecareers');
	const {captures, timelinePages} = store.bundle('AcmeCareers');
	assert.equal(timelinePages, 1, 'followers pages are not posts');
	assert.deepEqual(captures.map(item => graphqlOperation(item.url)), ['UserByScreenName', 'UserTweets', 'Followers', 'BlueVerifiedFollowers']);
	assert.deepEqual(captures[2], {url: followers, body: '{"data":{"f":1}}'});
	assert.equal(store.add('Followers', url('Followers', {userId: id}), '[1]'), null, 'not one JSON object');
	for (let index = 0; index < 100; index++) {
		store.add('Following', url('Following', {userId: id, cursor: String(index)}), '{}');
	}

	const kept = store.bundle('AcmeCareers').captures.slice(2);
	assert.equal(kept.length, MAX_AUDIENCE_PAGES);
	assert.equal(graphqlVariables(kept.at(-1)?.url ?? '').cursor, '99', 'the latest pages are kept');
	assert.equal(store.bundle('AcmeCareers').timelinePages, 1);
});

test('a body that is not one JSON object is refused', () => {
	const store = new CaptureStore();
	store.add('UserByScreenName', url('UserByScreenName', {}), fixture('graphql_user_2026.json'));
	const page = url('UserTweets', {userId: '1500000000000000001'});
	assert.equal(store.add('UserTweets', page, '{}],"tz":"Mars/Olympus","x":[{}'), null);
	assert.equal(store.add('UserTweets', page, '[1, 2]'), null);
	assert.equal(store.add('UserTweets', page, 'null'), null);
	assert.equal(store.bundle('AcmeCareers').timelinePages, 0);
});

test('the same page seen twice is kept once, and long scrolls are bounded', () => {
	const store = new CaptureStore();
	store.add('UserByScreenName', url('UserByScreenName', {}), fixture('graphql_user_2026.json'));
	const page = url('UserTweets', {userId: '1500000000000000001'});
	store.add('UserTweets', page, '{"a":1}');
	store.add('UserTweets', page, '{"a":2}');
	assert.deepEqual(store.bundle('AcmeCareers').captures.slice(1), [{url: page, body: '{"a":2}'}]);
	for (let index = 0; index < 100; index++) {
		store.add('UserTweets', url('UserTweets', {userId: '1500000000000000001', cursor: String(index)}), '{}');
	}

	assert.equal(store.bundle('AcmeCareers').timelinePages, 40);
});

/** @param {string} name */
const pageFixture = name => readFileSync(new URL(`../../tests/fixtures/extension/${name}`, import.meta.url), 'utf8');

test('an account X will not show is known by the handle asked for and X\'s reason', () => {
	// X's answers: UserUnavailable with its reason (suspended), a bare {"data":{}} (no such handle), and
	// AboutAccountQuery's own UserUnavailable (its reason under unavailable_reason).
	const asked = url('UserByScreenName', {screen_name: 'Gone_Account'});
	assert.deepEqual(userOf(pageFixture('graphql_user_suspended.json'), asked), {handle: 'Gone_Account', unavailable: 'Suspended'});
	assert.deepEqual(userOf(pageFixture('graphql_user_not_found.json'), asked), {handle: 'Gone_Account', unavailable: NOT_FOUND});
	assert.deepEqual(userOf('{"data":{"user":{}}}', asked), {handle: 'Gone_Account', unavailable: NOT_FOUND});
	const about = url('AboutAccountQuery', {screenName: 'Gone_Account'});
	assert.deepEqual(userOf(pageFixture('graphql_about_suspended.json'), about), {handle: 'Gone_Account', unavailable: 'Suspended'});
	// An error (rate limit...) or an answer without the handle asked for says nothing of the account.
	assert.equal(userOf('{"data":{},"errors":[{"message":"Rate limit exceeded"}]}', asked), null);
	assert.equal(userOf('{"errors":[{"message":"Rate limit exceeded"}]}', asked), null);
	assert.equal(userOf(pageFixture('graphql_user_not_found.json'), url('UserByScreenName', {})), null);
	assert.equal(userOf(pageFixture('graphql_user_not_found.json')), null);
});

test('the bundle of an unavailable account is empty and says why; the account seen again replaces it', () => {
	const store = new CaptureStore();
	const asked = url('UserByScreenName', {screen_name: 'AcmeCareers'});
	assert.equal(store.add('UserByScreenName', asked, pageFixture('graphql_user_suspended.json')), 'acmecareers');
	assert.deepEqual(store.bundle('AcmeCareers'), {captures: [], timelinePages: 0, unavailable: 'Suspended'});
	store.add('UserByScreenName', asked, fixture('graphql_user_2026.json'));
	assert.equal(store.bundle('AcmeCareers').unavailable, undefined);
	assert.equal(store.bundle('AcmeCareers').captures.length, 1);
});

test('"About this account" joins its account\'s bundle, after the profile and before the timeline', () => {
	const store = new CaptureStore();
	const about = '{"data":{"user_result_by_screen_name":{"result":{"__typename":"User","rest_id":"1500000000000000001",'
		+ '"core":{"screen_name":"AcmeCareers"},"about_profile":{"account_based_in":"France"}}}}}';
	assert.equal(graphqlOperation(url('AboutAccountQuery', {screenName: 'AcmeCareers'})), 'AboutAccountQuery');
	assert.equal(store.add('AboutAccountQuery', url('AboutAccountQuery', {screenName: 'AcmeCareers'}), about), 'acmecareers');
	assert.deepEqual(store.bundle('AcmeCareers').captures, [], 'no bundle without the profile');
	store.add('UserTweets', url('UserTweets', {userId: '1500000000000000001'}), '{"a":1}');
	store.add('UserByScreenName', url('UserByScreenName', {}), fixture('graphql_user_2026.json'));
	assert.deepEqual(store.bundle('AcmeCareers').captures.map(item => item.body), [fixture('graphql_user_2026.json'), about, '{"a":1}']);
});
