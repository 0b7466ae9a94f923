// Where saved captures go: one folder a day, one file per account, names that are always safe.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {captureFileName, localDay} from '../src/shared/capture-log.js';

test('a day is the browser\'s calendar day', () => {
	assert.equal(localDay(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
	assert.equal(localDay(new Date(2026, 11, 31, 0, 0)), '2026-12-31');
});

test('one file per account in the day\'s folder, named by its handle', () => {
	assert.equal(captureFileName('XDevelopers', '2026-05-10'), 'profilelens-captures/2026-05-10/XDevelopers.json');
	assert.equal(captureFileName('a_b_9', '2026-05-10'), 'profilelens-captures/2026-05-10/a_b_9.json');
	// Never expected from X's handle syntax, but never a path either.
	assert.equal(captureFileName('../../.bashrc', '2026-05-10'), 'profilelens-captures/2026-05-10/_______bashrc.json');
	assert.equal(captureFileName('', '2026-05-10'), 'profilelens-captures/2026-05-10/account.json');
});
