// From a report to what each badge says: pure functions, so the wording and the numbers are tested
// without a browser. The numbers are the report's; nothing is computed here but formatting.

/**
 * @typedef {import('../shared/protocol.js').Report} Report
 * @typedef {import('../shared/options.js').BadgeChoice} BadgeChoice
 * @typedef {{kind: string, share: number, label: string}} MixPart
 * @typedef {{
 *   key: keyof BadgeChoice, caption: string, value: string, detail: string, ariaLabel: string,
 *   tips: string[], tone: 'neutral' | 'good' | 'warn' | 'bad' | 'muted', mix?: MixPart[],
 * }} BadgeModel
 */

/** As the report page writes it ("5 %"), the sign kept on the number's line. @param {number} share 0..1 */
export const percent = share => `${Math.round(share * 100)}\u00A0%`;

/** Posts a day: one decimal below 10, whole numbers above. @param {number} value */
export const perDay = value => (value >= 10 ? String(Math.round(value)) : value.toFixed(1));

/** @param {number} value */
export const count = value => value.toLocaleString('en-US');

/** @param {string} text */
const capitalised = text => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The colour the report gives a section (it decides; the badge only paints).
 * @param {{tone?: string}} section
 * @returns {BadgeModel['tone']}
 */
export const toneOf = section => ({good: 'good', warn: 'warn', bad: 'bad'})[section.tone ?? ''] ?? 'neutral';

/** A section the server did not send counts as not measured. @type {import('../shared/protocol.js').Section} */
const MISSING = {available: false, reason: 'not measured by this server'};

/** @param {number} postsSeen */
export const postsSeenLine = postsSeen => `Based on ${postsSeen} post${postsSeen === 1 ? '' : 's'} seen`;

const KIND_LABELS = /** @type {const} */ ({original: 'original', retweet: 'retweets', reply: 'replies', quote: 'quotes'});

const TRAIT_LABELS = /** @type {const} */ ({
	photo: 'photos', video: 'videos', gif: 'GIFs', link: 'links', hashtag: 'hashtags', mention: 'mentions',
	number: 'figures', quotation: 'quotations', question: 'questions',
});

/**
 * @param {Report} report
 * @returns {BadgeModel}
 */
export function followBackBadge(report) {
	const section = report.follow_back ?? MISSING;
	const follow = report.follow;
	const tips = [];
	if (follow?.available) {
		tips.push(`${count(follow.followers)} followers · ${count(follow.following)} following`
			+ (typeof follow.ratio === 'number' ? ` (ratio ${follow.ratio >= 10 ? Math.round(follow.ratio) : follow.ratio.toFixed(2)})` : ''));
	}

	if (section.follows_you === true || report.account?.follows_you === true) {
		return {
			key: 'followBack', caption: 'Follow-back', value: 'follows you', detail: '', tone: 'good',
			ariaLabel: 'Follow-back: this account follows you', tips,
		};
	}

	if (!section.available) {
		return unavailable('followBack', 'Follow-back', section.reason, tips);
	}

	const probability = /** @type {number} */ (section.probability);
	return {
		key: 'followBack', caption: 'Follow-back', value: percent(probability), detail: '',
		tone: toneOf(section),
		ariaLabel: `Follow-back likelihood ${percent(probability)}`,
		tips: [`Chance it follows back a new ordinary follower: ${percent(probability)}`, ...tips],
	};
}

/**
 * @param {Report} report
 * @returns {BadgeModel}
 */
export function volumeBadge(report) {
	const section = report.volume ?? MISSING;
	if (!section.available) {
		return unavailable('volume', 'Volume', section.reason, []);
	}

	const tips = [];
	if (typeof section.last_post_age === 'string') {
		tips.push(`Last post ${section.last_post_age}`);
	}

	if (typeof section.recent_per_day === 'number') {
		tips.push(`Recently ${perDay(section.recent_per_day)} posts a day`);
	}

	if (typeof section.lifetime_per_day === 'number') {
		tips.push(`Lifetime ${perDay(section.lifetime_per_day)} posts a day`);
	}

	if (typeof section.median_gap_hours === 'number') {
		tips.push(`Median gap between posts ${section.median_gap_hours.toFixed(1)} h`);
	}

	if (typeof section.work_hours_share === 'number') {
		tips.push(`${percent(section.work_hours_share)} posted ${section.work_hours_definition ?? 'in work hours'}`);
	}

	const band = String(section.band);
	const detail = String(section.summary ?? '');
	return {
		key: 'volume', caption: 'Volume', value: band, detail, tone: toneOf(section),
		ariaLabel: `Posting volume ${band}, ${detail}`, tips,
	};
}

/**
 * @param {Report} report
 * @returns {BadgeModel}
 */
export function mixBadge(report) {
	const section = report.content_mix ?? MISSING;
	if (!section.available) {
		return unavailable('mix', 'Mix', section.reason, []);
	}

	/** @type {Record<string, number>} */
	const kinds = section.kinds ?? {};
	/** @type {MixPart[]} */
	const mix = Object.entries(KIND_LABELS)
		.map(([kind, label]) => ({kind, label, share: kinds[kind] ?? 0}))
		.filter(part => part.share > 0);
	const kindLine = mix.map(part => `${percent(part.share)} ${part.label}`).join(', ');
	/** @type {Record<string, number>} */
	const traits = section.traits ?? {};
	const traitLine = Object.entries(TRAIT_LABELS)
		.filter(([trait]) => (traits[trait] ?? 0) >= 0.05)
		.sort(([a], [b]) => (traits[b] ?? 0) - (traits[a] ?? 0))
		.slice(0, 4)
		.map(([trait, label]) => `${percent(traits[trait])} ${label}`)
		.join(', ');
	const tips = [kindLine];
	if (traitLine) {
		tips.push(`With ${traitLine}`);
	}

	if (typeof section.retweet_appeal?.index === 'number') {
		tips.push(`Retweet appeal ${section.retweet_appeal.index.toFixed(2)}`);
	}

	const top = mix.reduce((best, part) => (part.share > best.share ? part : best), mix[0]);
	return {
		key: 'mix', caption: 'Mix', value: top ? `${percent(top.share)} ${top.label}` : 'no posts', detail: '',
		tone: 'neutral', ariaLabel: `Content mix: ${kindLine}`, tips, mix,
	};
}

/**
 * @param {Report} report
 * @returns {BadgeModel}
 */
export function verdictBadge(report) {
	const section = report.verdict ?? MISSING;
	if (!section.available) {
		return unavailable('verdict', 'Verdict', section.reason, []);
	}

	const label = String(section.label);
	const tips = [];
	if (typeof section.obligation_probability === 'number') {
		tips.push(`Obligation probability ${percent(section.obligation_probability)}`);
	}

	tips.push(...(section.reasons ?? []).map(reason => capitalised(String(reason))));
	if (report.identity?.available && report.identity.summary) {
		tips.push(`Identity: ${report.identity.summary}`);
	}

	tips.push(...aboutLines(report));
	return {
		key: 'verdict', caption: 'Verdict', value: label, detail: '', tone: toneOf(section),
		ariaLabel: `Verdict: ${label}`, tips,
	};
}

/**
 * What X's "About this account" says (AboutAccountQuery), when the page loaded it.
 * @param {Report} report
 * @returns {string[]}
 */
export function aboutLines(report) {
	const account = report.account ?? {};
	const lines = [];
	if (typeof account.based_in === 'string' && account.based_in) {
		lines.push(`Based in ${account.based_in}`);
	}

	const changes = account.username_changes;
	if (changes === 0) {
		lines.push('Handle never changed');
	} else if (typeof changes === 'number') {
		const last = account.username_changed_at ? ` last on ${day(account.username_changed_at)}` : '';
		lines.push(`Handle changed ${count(changes)} time${changes === 1 ? '' : 's'}${last ? `,${last}` : ''}`);
	}

	return lines;
}

/** An ISO time as the report page writes a day ("26 Jul 2023"). @param {string} iso */
const day = iso => new Date(iso).toLocaleDateString('en-GB', {day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC'});

/**
 * @param {keyof BadgeChoice} key
 * @param {string} caption
 * @param {string | null} reason
 * @param {string[]} tips
 * @returns {BadgeModel}
 */
export function unavailable(key, caption, reason, tips) {
	const why = reason || 'not measurable yet';
	return {key, caption, value: '–', detail: '', tone: 'muted', ariaLabel: `${caption}: ${why}`, tips: [capitalised(why), ...tips]};
}

export const READING_POSTS = 'reading posts…';

/** The badges that rest on posts: while posts are on their way, they wait rather than judge. */
const POST_BADGES = new Set(['volume', 'mix', 'verdict']);

/**
 * A report that has no posts yet, of an account that could show some (not protected, not empty): while
 * the page may still load them, its post badges say they are waiting, never "not enough data".
 * @param {Report} report
 */
export function awaitsPosts(report) {
	return (report.data?.posts_seen ?? 0) === 0 && report.account?.protected !== true && report.account?.posts_count !== 0;
}

/** The Audience badge on a followers page whose list is not analysed yet. @type {BadgeModel} */
export const READING_AUDIENCE = {
	key: 'audience', caption: 'Audience', value: 'reading followers…', detail: '', tone: 'muted',
	ariaLabel: 'Audience: reading followers…', tips: ['Waiting for the page to load the followers'],
};

/**
 * The badges the user chose, in header order, each ending with how many posts it rests on; the
 * Audience badge (the worker's, src/background/audience.js) last, on the followers it rests on.
 * @param {Report} report
 * @param {BadgeChoice} choice
 * @param {boolean} [readingPosts] the page may still load posts: post badges wait for them
 * @param {BadgeModel} [audience]
 * @returns {BadgeModel[]}
 */
export function badgeModels(report, choice, readingPosts = false, audience = undefined) {
	const postsSeen = report.data?.posts_seen ?? 0;
	const waiting = readingPosts && awaitsPosts(report);
	return [followBackBadge, volumeBadge, mixBadge, verdictBadge]
		.map(make => make(report))
		.filter(model => choice[model.key])
		.map(model => (waiting && POST_BADGES.has(model.key) ? readingBadge(model) : model))
		.map(model => ({...model, tips: [...model.tips, postsSeenLine(postsSeen)]}))
		.concat(audience && choice.audience ? [audience] : []);
}

/**
 * @param {BadgeModel} model
 * @returns {BadgeModel}
 */
function readingBadge({key, caption}) {
	return {
		key, caption, value: READING_POSTS, detail: '', tone: 'muted', ariaLabel: `${caption}: ${READING_POSTS}`,
		tips: ['Waiting for the page to load the posts'],
	};
}

/**
 * What each state without a report says: its line, what to do (the server's own message instead, where
 * `own`), and its word in a mark.
 * @type {Record<string, {text: string, detail: string, mark: string, action?: 'options', own?: boolean}>}
 */
const STATES = {
	'not-running': {text: 'ProfileLens server not running', detail: 'Start it with: profilelens serve', mark: 'server off'},
	'not-paired': {
		text: 'ProfileLens not paired', detail: 'Paste the token from "profilelens token" in the options', mark: 'not paired',
		action: 'options',
	},
	forbidden: {
		text: 'ProfileLens server refused this browser', detail: 'Check the server URL in the options', mark: 'refused',
		action: 'options', own: true,
	},
	error: {text: 'ProfileLens could not analyse this profile', detail: 'Unknown error', mark: 'error', own: true},
};

/** X's reasons for not showing an account (`UserUnavailable.reason`, or "NotFound" for no account). */
const UNAVAILABLE = {
	notfound: ['Account not found', 'X has no account with this handle'],
	suspended: ['Account suspended', 'X suspended this account'],
	deactivated: ['Account deactivated', 'Its owner deactivated it'],
};

/**
 * A one-line summary for states without a report.
 * @param {import('../shared/protocol.js').AnalysisResult} result
 * @returns {{text: string, detail: string, action?: 'options'}}
 */
export function stateMessage(result) {
	if (result.state === 'unavailable') {
		return unavailableMessage(result.message ?? '');
	}

	const {text, detail, action, own} = STATES[result.state] ?? STATES.error;
	return {text, detail: (own && result.message) || detail, ...(action && {action})};
}

/**
 * An account X will not show, by X's reason.
 * @param {string} reason
 * @returns {{text: string, detail: string}}
 */
export function unavailableMessage(reason) {
	const [text, why] = UNAVAILABLE[/** @type {keyof UNAVAILABLE} */ (reason.toLowerCase())]
		?? ['Account unavailable', `X does not show this account${reason ? ` (${reason})` : ''}`];
	return {text, detail: `${why}: nothing to analyse`};
}

/**
 * Why a report carries no ratings worth showing (protected, no posts yet), or null.
 * @param {Report} report
 * @param {boolean} [readingPosts] the page may still load posts: not a reason yet
 * @returns {string | null}
 */
export function reportNotice(report, readingPosts = false) {
	const postsSeen = report.data?.posts_seen ?? 0;
	if (report.account?.protected && postsSeen === 0) {
		return 'Protected account: its posts are hidden';
	}

	if (readingPosts && awaitsPosts(report)) {
		return null;
	}

	if (postsSeen === 0) {
		return 'Not enough posts yet: scroll to load some';
	}

	return null;
}

/**
 * The compact mark next to an author's name, in the badges' states: follow-back and the verdict (those
 * chosen, else the first badge chosen), toned as the verdict; every chosen badge in its tooltip.
 * @param {import('../shared/protocol.js').AnalysisResult | {state: 'loading'}} result
 * @param {BadgeChoice} choice
 * @param {boolean} [readingPosts] the page may still load posts: post badges wait for them
 * @returns {{text: string, tone: BadgeModel['tone'], tips: string[]}}
 */
export function markModel(result, choice, readingPosts = false) {
	if (result.state === 'loading') {
		return {text: '…', tone: 'muted', tips: ['ProfileLens: analysing…']};
	}

	if (result.state !== 'ok' || !('report' in result) || !result.report) {
		const {text, detail} = stateMessage(/** @type {import('../shared/protocol.js').AnalysisResult} */ (result));
		const word = result.state === 'unavailable' ? text.replace('Account ', '') : (STATES[result.state] ?? STATES.error).mark;
		return {text: word, tone: 'muted', tips: [text, detail]};
	}

	const models = badgeModels(result.report, choice, readingPosts, result.audience);
	const headline = models.filter(model => model.key === 'followBack' || model.key === 'verdict');
	const shown = headline.length > 0 ? headline : models.slice(0, 1);
	const tips = models.map(model => `${model.caption}: ${model.value}${model.detail ? ` (${model.detail})` : ''}`);
	return {
		text: shown.map(model => model.value).join(' · ') || 'ProfileLens',
		tone: (models.find(model => model.key === 'verdict') ?? shown[0])?.tone ?? 'neutral',
		tips: [...tips, postsSeenLine(result.report.data?.posts_seen ?? 0)],
	};
}
