// The fallback when no GraphQL was seen: what the page shows, in the documented DOM capture schema
// (server/API.md). Counts stay as the page writes them ("1.2M"); the server expands them.
import {SELECTORS, shownHandle} from './selectors.js';

/**
 * @param {Element | null | undefined} element
 * @returns {string | undefined}
 */
const text = element => element?.textContent?.trim() || undefined;

/**
 * The number of a counts link as shown ("1,234", "695.7K", "12,3 k"). X puts it in a span of its own,
 * apart from the label, whose first letter could pass for a unit ("762 Mengikuti").
 * @param {Element | null} link
 */
export function countText(link) {
	if (!link) {
		return undefined;
	}

	for (const span of link.querySelectorAll('span')) {
		const value = (span.textContent ?? '').trim();
		if (/^\d[\d.,\s\u00A0\u202F']*(?:[A-Za-z]{1,3}\.?)?$/.test(value)) {
			return value;
		}
	}

	const value = /^\d[\d.,\u00A0\u202F']*(?:\s?[KkMmBb](?![a-z]))?/.exec((link.textContent ?? '').trim());
	return value ? value[0] : undefined;
}

/**
 * @param {Element} article
 * @param {string} pageUrl
 */
export function postFromArticle(article, pageUrl) {
	const time = article.querySelector(SELECTORS.tweetTime);
	const statusLink = time?.closest('a');
	const href = statusLink?.getAttribute('href') ?? '';
	const id = /\/status\/(\d+)/.exec(href)?.[1];
	const authorHandle = shownHandle(article.querySelector(SELECTORS.tweetAuthor))
		?? /^\/([A-Za-z0-9_]+)\/status\//.exec(href)?.[1] ?? undefined;
	const context = text(article.querySelector(SELECTORS.socialContext));
	const body = article.querySelector(SELECTORS.tweetText);
	const links = body
		? [...body.querySelectorAll('a[href]')]
			.map(link => link.getAttribute('href') ?? '')
			.filter(link => /^https?:\/\//.test(link))
		: [];
	const replyTo = [...article.querySelectorAll('div')]
		.find(div => div.childElementCount > 0 && /^Replying to\s/.test(div.textContent ?? ''));
	const quoted = [...article.querySelectorAll('span')].some(span => span.textContent === 'Quote');
	return {
		id,
		url: id ? new URL(href, pageUrl).href : undefined,
		datetime: time?.getAttribute('datetime') ?? undefined,
		author_handle: authorHandle,
		text: body?.textContent ?? '',
		social_context: context,
		is_retweet: Boolean(context && /reposted|retweeted/i.test(context)),
		is_reply: Boolean(replyTo),
		is_quote: quoted,
		reply_to_handle: replyTo ? shownHandle(replyTo) : null,
		photos: article.querySelectorAll(SELECTORS.photo).length,
		videos: article.querySelectorAll(SELECTORS.video).length,
		gifs: article.querySelectorAll(SELECTORS.gif).length,
		links,
		pinned: Boolean(context && /pinned/i.test(context)),
	};
}

/**
 * @param {Document} document_
 * @param {string} handle
 * @param {Date} now
 */
export function domCapture(document_, handle, now) {
	const column = document_.querySelector(SELECTORS.primaryColumn) ?? document_;
	const nameBlock = column.querySelector(SELECTORS.userName);
	const prefix = `/${handle.toLowerCase()}/`;
	/** @param {string} selector */
	const countLink = selector => [...column.querySelectorAll(selector)]
		.find(link => (link.getAttribute('href') ?? '').toLowerCase().startsWith(prefix)) ?? null;
	const name = nameBlock?.querySelector('span')?.textContent?.trim()
		|| (nameBlock?.textContent ?? '').split('@')[0].trim() || undefined;
	const urlLink = column.querySelector(SELECTORS.userUrl);
	const seen = new Set();
	const posts = [];
	for (const article of column.querySelectorAll(SELECTORS.tweet)) {
		if (article.closest(SELECTORS.ad) || article.querySelector(SELECTORS.ad)) {
			continue;
		}

		const post = postFromArticle(article, document_.location?.href ?? 'https://x.com/');
		if (post.id && !seen.has(post.id)) {
			seen.add(post.id);
			posts.push(post);
		}
	}

	return {
		profilelens_dom: 1,
		url: document_.location?.href,
		captured_at: now.toISOString(),
		profile: {
			handle,
			name,
			bio: text(column.querySelector(SELECTORS.userDescription)),
			location: text(column.querySelector(SELECTORS.userLocation)),
			url: text(urlLink),
			joined: text(column.querySelector(SELECTORS.userJoinDate)),
			followers: countText(countLink(SELECTORS.followers)),
			following: countText(countLink(SELECTORS.following)),
			follows_you: Boolean(column.querySelector(SELECTORS.followsYou)),
			protected: Boolean(nameBlock?.querySelector(SELECTORS.protectedIcon)),
			verified: Boolean(nameBlock?.querySelector(SELECTORS.verifiedIcon)),
		},
		posts,
	};
}
