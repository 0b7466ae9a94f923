// The Audience badge: from the report's audience section (server/API.md's example) and from the saved
// report without one (tests/fixtures/report/consultant.json).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {audienceBadge, carriesAudience} from '../src/background/audience.js';
import {READING_AUDIENCE, badgeModels, markModel, percent} from '../src/content/badge-text.js';

const report = JSON.parse(readFileSync(new URL('../../tests/fixtures/report/consultant.json', import.meta.url), 'utf8'));
const all = {followBack: true, volume: true, mix: true, verdict: true, audience: true};

/** server/API.md's example section, as the server sends it. */
const audience = {
	available: true, reason: null, tone: 'warn',
	summary: '150 followers seen (< 1 % of 695,695): 13 % mass-followers, 6 % organisations, none created within 30 days of it',
	followers_seen: 150, followers_total: 695_695, share_of_all: 0.0002,
	mass_followers: {count: 20, of: 150, share: 0.1333, rule: 'follows more than 2,000 accounts'},
	effective_audience: {count: 130, of: 150, share: 0.8667, estimate_of_all: 600_000},
	organisations: {available: true, reason: null, count: 9, of: 150, share: 0.06},
	cohort: {
		created_near: {available: true, reason: null, count: 0, of: 150, share: 0, rule: 'created within 30 days of the account'},
		tied: {available: true, reason: null, count: 8, of: 12, share: 0.6667},
		densest_group: {names: ['@a', '@b', '@c'], size: 3, ties: 3, density: 1},
	},
};
const withAudience = {...report, audience};

/** @param {string} operation */
const item = operation => ({url: `https://x.com/i/api/graphql/q1/${operation}?variables=%7B%22userId%22%3A%2242%22%7D`, body: '{}'});

test('a bundle carries an audience when it holds followers or following pages', () => {
	assert.ok(carriesAudience([item('UserByScreenName'), item('BlueVerifiedFollowers')]));
	assert.ok(carriesAudience([item('Following')]));
	assert.ok(!carriesAudience([item('UserByScreenName'), item('UserTweets'), {body: '{}'}]));
	assert.ok(!carriesAudience(undefined));
});

test('the badge shows the effective audience, the report\'s summary and tone, its key figures in the tooltip', () => {
	const badge = audienceBadge(withAudience, true);
	assert.ok(badge);
	assert.equal(badge.key, 'audience');
	assert.equal(badge.value, `${percent(0.8667)} effective`);
	assert.equal(badge.detail, audience.summary);
	assert.equal(badge.tone, 'warn');
	assert.deepEqual(badge.tips, [
		'150 followers seen of 695,695',
		`Mass-followers: ${percent(0.1333)} (20 of 150), follows more than 2,000 accounts`,
		`Effective audience: ${percent(0.8667)} (130 of 150); about 600,000 of all followers (an estimate)`,
		`Organisations: ${percent(0.06)} (9 of 150)`,
		`Cohort: ${percent(0)} (0 of 150) created within 30 days of the account`,
		`Cohort: ${percent(0.6667)} (8 of 12) follow one another`,
		'Densest group: @a, @b, @c',
	]);
	assert.equal(audienceBadge({...withAudience, audience: {...audience, tone: 'none'}}, false)?.tone, 'neutral');
});

test('figures the server could not tell are left out, never shown as zero', () => {
	const partial = {
		...audience,
		organisations: {available: false, reason: 'no model'},
		cohort: {created_near: {available: false, reason: 'no creation date'}, tied: {available: false}, densest_group: null},
	};
	const badge = audienceBadge({...report, audience: partial}, true);
	assert.ok(badge);
	assert.equal(badge.tips.length, 3);
	assert.ok(!badge.tips.some(line => /Organisations|Cohort|Densest/.test(line)));
});

test('no followers page: no badge; pages sent but no audience read: unavailable with the server\'s reason', () => {
	assert.equal(audienceBadge(report, false), undefined);
	const badge = audienceBadge(report, true);
	assert.equal(badge?.value, '–');
	assert.equal(badge?.tone, 'muted');
	assert.equal(badge?.tips[0], report.audience.reason.charAt(0).toUpperCase() + report.audience.reason.slice(1));
	const older = structuredClone(report);
	delete older.audience;
	assert.equal(audienceBadge(older, true)?.tips[0], 'Not measured by this server');
});

test('the row and the marks put it last, as chosen, without the posts line', () => {
	const badge = audienceBadge(withAudience, true);
	const models = badgeModels(withAudience, all, false, badge);
	assert.deepEqual(models.map(model => model.key), ['followBack', 'volume', 'mix', 'verdict', 'audience']);
	assert.equal(models.at(-1), badge);
	assert.deepEqual(badgeModels(withAudience, {...all, audience: false}, false, badge).map(model => model.key).at(-1), 'verdict');
	assert.equal(badgeModels(withAudience, all, false, READING_AUDIENCE).at(-1)?.value, 'reading followers…');
	const mark = markModel({state: 'ok', report: withAudience, audience: badge}, all);
	assert.ok(mark.tips.includes(`Audience: ${badge?.value} (${audience.summary})`), mark.tips.join('\n'));
});
