// What the badges say for a saved report (tests/fixtures/report/consultant.json) and for edge cases.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {
	READING_POSTS, aboutLines, awaitsPosts, badgeModels, followBackBadge, markModel, mixBadge, perDay, percent,
	reportNotice, stateMessage, unavailableMessage, verdictBadge, volumeBadge,
} from '../src/content/badge-text.js';

const report = JSON.parse(readFileSync(new URL('../../tests/fixtures/report/consultant.json', import.meta.url), 'utf8'));
const all = {followBack: true, volume: true, mix: true, verdict: true};

test('numbers are formatted the same way everywhere', () => {
	assert.equal(percent(0.18), '18\u00A0%');
	assert.equal(percent(0.125), '13\u00A0%');
	assert.equal(perDay(0.6159), '0.6');
	assert.equal(perDay(0.25), '0.3');
	assert.equal(perDay(26.4), '26');
	assert.equal(perDay(300), '300');
});

test('follow-back shows the probability, or "follows you" when the page says so', () => {
	assert.equal(followBackBadge(report).value, percent(report.follow_back.probability));
	const follower = structuredClone(report);
	follower.follow_back.follows_you = true;
	assert.equal(followBackBadge(follower).value, 'follows you');
});

test('volume shows the band and the report\'s own summary and tone, the last post first in its tips', () => {
	const badge = volumeBadge(report);
	assert.equal(badge.value, report.volume.band);
	assert.equal(badge.detail, report.volume.summary);
	assert.equal(badge.tone, report.volume.tone === 'none' ? 'neutral' : report.volume.tone);
	assert.equal(badge.tips[0], `Last post ${report.volume.last_post_age}`);
});

test('a dormant account says so, whatever its old rate', () => {
	const dormant = structuredClone(report);
	Object.assign(dormant.volume, {band: 'dormant', tone: 'warn', summary: 'last post 11 years ago', last_post_age: '11 years ago'});
	const badge = volumeBadge(dormant);
	assert.equal(badge.value, 'dormant');
	assert.equal(badge.detail, 'last post 11 years ago');
	assert.equal(badge.tone, 'warn');
});

test('the mix bar has one segment per kind present, and names the largest', () => {
	const badge = mixBadge(report);
	const present = Object.entries(report.content_mix.kinds).filter(([, share]) => share > 0);
	assert.equal(badge.mix?.length, present.length);
	const [topKind, topShare] = present.sort(([, a], [, b]) => b - a)[0];
	assert.match(badge.value, new RegExp(`^${percent(topShare)} `));
	assert.ok(badge.mix?.some(part => part.kind === topKind));
});

test('the verdict carries its reasons as plain strings', () => {
	const badge = verdictBadge(report);
	assert.equal(badge.value, report.verdict.label);
	assert.ok(badge.tips.includes('<i>questions</i> in 10 % of posts'), 'reasons stay plain text, capitalised');
	assert.ok(badge.tips.includes('20 % of posts are replies to 7 different people'));
});

test('every badge says how many posts it rests on; unchosen badges are left out', () => {
	const models = badgeModels(report, {...all, mix: false});
	assert.deepEqual(models.map(model => model.key), ['followBack', 'volume', 'verdict']);
	for (const model of models) {
		assert.equal(model.tips.at(-1), `Based on ${report.data.posts_seen} posts seen`);
	}
});

test('a section the server could not measure says why', () => {
	const thin = structuredClone(report);
	thin.verdict = {available: false, reason: 'not enough posts (3 seen, 10 needed)'};
	delete thin.follow_back;
	assert.equal(verdictBadge(thin).value, '–');
	assert.equal(verdictBadge(thin).tips[0], 'Not enough posts (3 seen, 10 needed)');
	assert.equal(followBackBadge(thin).tone, 'muted');
});

test('protected accounts and empty timelines get a notice', () => {
	const hidden = structuredClone(report);
	hidden.data.posts_seen = 0;
	assert.match(reportNotice(hidden) ?? '', /Not enough posts/);
	hidden.account.protected = true;
	assert.match(reportNotice(hidden) ?? '', /Protected/);
	assert.equal(reportNotice(report), null);
});

test('states without a report tell the user what to do', () => {
	assert.match(stateMessage({state: 'not-running'}).detail, /profilelens serve/);
	assert.equal(stateMessage({state: 'not-paired'}).action, 'options');
	assert.match(stateMessage({state: 'error', message: 'bad capture'}).detail, /bad capture/);
});

test('while the page may still load posts, the post badges wait: never "not enough data" first', () => {
	const early = structuredClone(report);
	early.data.posts_seen = 0;
	early.verdict = {available: true, reason: null, label: 'not enough data', tone: 'none', reasons: ['0 posts seen']};
	early.volume = {available: false, reason: 'no posts seen'};
	const waiting = badgeModels(early, all, true);
	assert.deepEqual(waiting.map(model => model.value).slice(1), [READING_POSTS, READING_POSTS, READING_POSTS]);
	assert.equal(waiting[0].value, percent(early.follow_back.probability), 'follow-back needs no posts');
	assert.ok(waiting.every(model => !model.ariaLabel.includes('not enough data')));
	assert.equal(reportNotice(early, true), null);
	// Once the posts have had their chance, the report is shown as it is.
	assert.equal(badgeModels(early, all, false).at(-1)?.value, 'not enough data');
	assert.match(reportNotice(early, false) ?? '', /Not enough posts/);
	// A report with posts, a protected account or one that never posted has nothing to wait for.
	assert.equal(badgeModels(report, all, true).at(-1)?.value, report.verdict.label);
	assert.ok(awaitsPosts(early));
	assert.ok(!awaitsPosts({...early, account: {...early.account, protected: true}}));
	assert.ok(!awaitsPosts({...early, account: {...early.account, posts_count: 0}}));
});

test('"About this account" facts end the verdict\'s tips, when the page loaded them', () => {
	assert.deepEqual(aboutLines(report), []);
	const about = structuredClone(report);
	Object.assign(about.account, {based_in: 'United States', username_changes: 1, username_changed_at: '2023-07-26T01:33:12.280000+00:00'});
	assert.deepEqual(aboutLines(about), ['Based in United States', 'Handle changed 1 time, last on 26 Jul 2023']);
	assert.deepEqual(verdictBadge(about).tips.slice(-2), aboutLines(about));
	about.account.username_changes = 0;
	assert.deepEqual(aboutLines(about).at(-1), 'Handle never changed');
	Object.assign(about.account, {username_changes: 3, username_changed_at: null, based_in: ''});
	assert.deepEqual(aboutLines(about), ['Handle changed 3 times']);
});

test('an account X will not show says why, in plain words', () => {
	assert.equal(stateMessage({state: 'unavailable', message: 'NotFound'}).text, 'Account not found');
	assert.equal(stateMessage({state: 'unavailable', message: 'Suspended'}).text, 'Account suspended');
	assert.equal(unavailableMessage('Deactivated').text, 'Account deactivated');
	assert.deepEqual(unavailableMessage('Offboarded'), {text: 'Account unavailable', detail: 'X does not show this account (Offboarded): nothing to analyse'});
	assert.equal(stateMessage({state: 'unavailable'}).text, 'Account unavailable');
});

test('a mark beside a name: follow-back and the verdict, toned as the verdict, every badge in its tooltip', () => {
	const mark = markModel({state: 'ok', report: report}, all);
	const models = badgeModels(report, all);
	const byKey = Object.fromEntries(models.map(model => [model.key, model]));
	assert.equal(mark.text, `${byKey.followBack.value} · ${byKey.verdict.value}`);
	assert.equal(mark.tone, byKey.verdict.tone);
	assert.equal(mark.tips.length, 5);
	assert.equal(mark.tips[0], `Follow-back: ${byKey.followBack.value}`);
	assert.equal(mark.tips.at(-1), `Based on ${report.data.posts_seen} posts seen`);
	// The badges chosen in the options: without follow-back and verdict, the first one left.
	const volumeOnly = markModel({state: 'ok', report: report}, {...all, followBack: false, verdict: false});
	assert.equal(volumeOnly.text, byKey.volume.value);
	// While the page still loads posts, as the badge row says.
	const empty = {...report, data: {...report.data, posts_seen: 0}, account: {...report.account, posts_count: 5}};
	assert.match(markModel({state: 'ok', report: empty}, all, true).text, / · reading posts…$/);
});

test('a mark in the badges\' other states: a word, the row\'s line in its tooltip', () => {
	assert.deepEqual(markModel({state: 'not-running'}, all), {
		text: 'server off', tone: 'muted', tips: ['ProfileLens server not running', 'Start it with: profilelens serve'],
	});
	assert.equal(markModel({state: 'not-paired'}, all).text, 'not paired');
	assert.equal(markModel({state: 'forbidden', message: 'no'}, all).tips[1], 'no');
	assert.equal(markModel({state: 'error'}, all).text, 'error');
	assert.equal(markModel({state: 'unavailable', message: 'Suspended'}, all).text, 'suspended');
	assert.equal(markModel({state: 'loading'}, all).text, '…');
});
