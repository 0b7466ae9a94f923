// Each example URL is a positive test for its own kind and a negative test for every other kind.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {TEST_URLS, audienceHandle, isProfile, profileHandle} from '../src/content/page-detect.js';

for (const [kind, urls] of Object.entries(TEST_URLS)) {
	for (const url of urls) {
		test(`${kind}: ${url}`, () => {
			assert.equal(isProfile(url), kind === 'profile');
			assert.equal(audienceHandle(url) !== null, kind === 'audience');
		});
	}
}

test('the handle keeps its case and drops the tab', () => {
	assert.equal(profileHandle('https://x.com/XDevelopers/with_replies'), 'XDevelopers');
	assert.equal(profileHandle('https://twitter.com/jack/media?lang=en'), 'jack');
	assert.equal(audienceHandle('https://x.com/XDevelopers/verified_followers?lang=en'), 'XDevelopers');
});
