// The badge row's theme: its own colours for X's light and dark themes, read from the page background.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {themeOf} from '../src/content/badges.js';

test('X\'s three backgrounds give the light or the dark palette', () => {
	assert.equal(themeOf('rgb(255, 255, 255)'), 'light');
	assert.equal(themeOf('rgb(21, 32, 43)'), 'dark', 'dim');
	assert.equal(themeOf('rgb(0, 0, 0)'), 'dark', 'lights out');
	assert.equal(themeOf('rgba(247, 249, 249, 1)'), 'light');
	assert.equal(themeOf(''), 'light', 'unknown: the light default');
});
