// The accounts an answer of X carries beside its subject, for the marks beside names.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {accountBody, accountsIn} from '../src/shared/accounts.js';
import {userOf} from '../src/content/captures.js';

/** @param {string} name */
const fixture = name => JSON.parse(readFileSync(new URL(`../../tests/fixtures/sources/${name}`, import.meta.url), 'utf8'));

test('every account of a timeline: its owner, and the authors it reposts, quotes and replies to', () => {
	const found = accountsIn(fixture('graphql_user_tweets_2026.json'));
	assert.deepEqual([...found.keys()].sort(), ['acme', 'acmecareers', 'industry_news', 'sam_seeker']);
	// The newest user schema (handle under core) and the legacy one (under legacy) alike.
	assert.deepEqual([...accountsIn(fixture('graphql_user_legacy.json')).keys()], ['ministryexample']);
	assert.equal(accountsIn({data: {user: {result: {__typename: 'User', core: {}}}}}).size, 0);
	assert.equal(accountsIn({}).size, 0);
});

test('an account becomes the body UserByScreenName would have answered', () => {
	const user = accountsIn(fixture('graphql_user_tweets_2026.json')).get('sam_seeker');
	const body = accountBody(/** @type {object} */ (user));
	assert.equal(userOf(body)?.handle, 'sam_seeker');
	assert.deepEqual(JSON.parse(body).data.user.result, user);
});

test('deep answers are walked without recursion', () => {
	/** @type {any} */
	let deep = {__typename: 'User', rest_id: '1', core: {screen_name: 'Deep_One'}};
	for (let level = 0; level < 100_000; level++) {
		deep = {next: deep};
	}

	assert.deepEqual([...accountsIn(deep).keys()], ['deep_one']);
});
