// Reading the header's counts as X shows them, in several languages (the server expands the text).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {countText} from '../src/content/dom-capture.js';

/**
 * A counts link: its spans' texts, and its whole text as X runs them together.
 * @param {string[]} spans
 */
const link = spans => /** @type {Element} */ (/** @type {unknown} */ ({
	textContent: spans.join(''),
	querySelectorAll: () => spans.map(text => ({textContent: text})),
}));

test('the number comes from its own span, unit included', () => {
	assert.equal(countText(link(['695.7K', 'Followers'])), '695.7K');
	assert.equal(countText(link(['1,234', 'Following'])), '1,234');
	assert.equal(countText(link(['12,3 k', 'abonnés'])), '12,3 k');
	assert.equal(countText(link(['3 Mio.', 'Follower'])), '3 Mio.');
	assert.equal(countText(link(['762', 'Mengikuti'])), '762');
});

test('without spans, the label is not read as a unit', () => {
	/** @param {string} text */
	const bare = text => /** @type {Element} */ (/** @type {unknown} */ ({textContent: text, querySelectorAll: () => []}));
	assert.equal(countText(bare('695.7KFollowers')), '695.7K');
	assert.equal(countText(bare('762 Mengikuti')), '762');
	assert.equal(countText(bare('1.2M Followers')), '1.2M');
	assert.equal(countText(bare('Followers')), undefined);
	assert.equal(countText(null), undefined);
});
