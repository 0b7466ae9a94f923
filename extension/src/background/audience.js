// The Audience badge, from the report's `audience` section (server/API.md), made in the worker: the
// content script only draws it (its bytes load on every x.com page). Pure: the wording is tested
// without a browser. The figures are the report's; nothing is computed here but formatting.
import {AUDIENCE_OPERATIONS, graphqlOperation} from '../shared/protocol.js';
import {count, percent, toneOf, unavailable} from '../content/badge-text.js';

/**
 * Whether a bundle carries followers or following pages (`{url, body}` items naming those operations).
 * @param {import('../shared/protocol.js').CaptureItem[] | undefined} captures
 */
export function carriesAudience(captures) {
	return (captures ?? []).some(item => AUDIENCE_OPERATIONS.has(graphqlOperation(item.url ?? '') ?? ''));
}

/**
 * A share with what it rests on: "13 % (9 of 69)".
 * @param {{share: number, count: number, of: number}} part
 */
const figure = part => `${percent(part.share)} (${count(part.count)} of ${count(part.of)})`;

/**
 * The badge: when the report's audience is available; or, when the bundle carried followers pages the
 * server could not read as an audience, unavailable with its reason; else none (no followers page seen).
 * @param {import('../shared/protocol.js').Report} report
 * @param {boolean} pagesSent the bundle carried followers or following pages
 * @returns {import('../content/badge-text.js').BadgeModel | undefined}
 */
export function audienceBadge(report, pagesSent) {
	const section = report.audience;
	if (!section?.available) {
		return pagesSent ? unavailable('audience', 'Audience', section?.reason ?? 'not measured by this server', []) : undefined;
	}

	const seen = section.followers_seen;
	const total = typeof section.followers_total === 'number' ? ` of ${count(section.followers_total)}` : '';
	const tips = [`${count(seen)} followers seen${total}`];
	const mass = section.mass_followers;
	if (mass?.of) {
		tips.push(`Mass-followers: ${figure(mass)}, ${mass.rule}`);
	}

	const effective = section.effective_audience;
	if (effective?.of) {
		const all = typeof effective.estimate_of_all === 'number' ? `; about ${count(effective.estimate_of_all)} of all followers (an estimate)` : '';
		tips.push(`Effective audience: ${figure(effective)}${all}`);
	}

	if (section.organisations?.available) {
		tips.push(`Organisations: ${figure(section.organisations)}`);
	}

	const {created_near: near, tied, densest_group: group} = section.cohort ?? {};
	if (near?.available) {
		tips.push(`Cohort: ${figure(near)} ${near.rule}`);
	}

	if (tied?.available) {
		tips.push(`Cohort: ${figure(tied)} follow one another`);
	}

	if (group?.names?.length) {
		tips.push(`Densest group: ${group.names.join(', ')}`);
	}

	const summary = String(section.summary ?? '');
	const value = effective?.of ? `${percent(effective.share)} effective` : `${count(seen)} seen`;
	return {
		key: 'audience', caption: 'Audience', value, detail: summary, tone: toneOf(section),
		ariaLabel: `Audience: ${summary}`, tips,
	};
}
