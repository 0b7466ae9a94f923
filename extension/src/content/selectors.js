// Every X selector the extension relies on, in one place. X's class names are generated; its
// data-testid attributes are what survives redesigns (the list control-panel-for-twitter keeps too).
// test/fixtures (and tests/fixtures/extension/ for the real browser) carry the structure they must match.

/** X's handle syntax: 1 to 15 letters, digits or underscores (the server's xapi.HANDLE, checked equal by a test). */
export const HANDLE = '[A-Za-z0-9_]{1,15}';
const SHOWN_HANDLE = new RegExp(`^@(${HANDLE})$`);

// nameSlot: where an author's name shows outside the profile header (posts and replies, lists of
// people, hover cards); the innermost one gets the mark (a card may hold a cell).
export const SELECTORS = /** @type {const} */ ({
	primaryColumn: '[data-testid="primaryColumn"]',
	userName: '[data-testid="UserName"]',
	userDescription: '[data-testid="UserDescription"]',
	userLocation: '[data-testid="UserLocation"]',
	userUrl: '[data-testid="UserUrl"]',
	userJoinDate: '[data-testid="UserJoinDate"]',
	following: 'a[href$="/following"]',
	followers: 'a[href$="/followers"], a[href$="/verified_followers"]',
	followsYou: '[data-testid="userFollowIndicator"]',
	verifiedIcon: '[data-testid="icon-verified"]',
	protectedIcon: '[data-testid="icon-lock"]',
	tweet: 'article[data-testid="tweet"]',
	tweetText: '[data-testid="tweetText"]',
	tweetAuthor: '[data-testid="User-Name"]',
	tweetTime: 'a[href*="/status/"] time[datetime]',
	photo: '[data-testid="tweetPhoto"]',
	video: '[data-testid="videoPlayer"]',
	gif: '[data-testid="gifPlayer"]',
	card: '[data-testid="card.wrapper"]',
	socialContext: '[data-testid="socialContext"]',
	ad: '[data-testid="placementTracking"]',
	emptyState: '[data-testid="emptyState"]',
	nameSlot: '[data-testid="User-Name"], [data-testid="UserCell"], [data-testid="HoverCard"]',
	audienceList: '[data-testid="primaryColumn"] section',
});

/**
 * The profile header's name block when it shows `handle` (X keeps the previous profile's header on
 * screen for a moment after a navigation), else null.
 * @param {ParentNode} root
 * @param {string} handle
 * @returns {HTMLElement | null}
 */
export function profileHeader(root, handle) {
	const column = root.querySelector(SELECTORS.primaryColumn) ?? root;
	const name = column.querySelector(SELECTORS.userName);
	if (!(name instanceof HTMLElement)) {
		return null;
	}

	const shown = shownHandle(name);
	return shown && shown.toLowerCase() === handle.toLowerCase() ? name : null;
}

/**
 * The first `@handle` an element shows: the span X writes it in, and the handle without the @. The
 * element's whole text would run it into its neighbours ("@handleFollows you").
 * @param {Element | null | undefined} element
 * @returns {{span: Element, handle: string} | null}
 */
export function handleSpan(element) {
	for (const span of element?.querySelectorAll('span') ?? []) {
		const match = SHOWN_HANDLE.exec((span.textContent ?? '').trim());
		if (match) {
			return {span, handle: match[1]};
		}
	}

	return null;
}

/**
 * The `@handle` an element shows, without the @.
 * @param {Element | null | undefined} element
 * @returns {string | null}
 */
export function shownHandle(element) {
	return handleSpan(element)?.handle ?? null;
}

/**
 * The element holding the following/followers links: the badge row goes right after it.
 * @param {ParentNode} root
 * @param {string} handle
 * @returns {HTMLElement | null}
 */
export function countsRow(root, handle) {
	const column = root.querySelector(SELECTORS.primaryColumn) ?? root;
	const prefix = `/${handle.toLowerCase()}/`;
	const links = [...column.querySelectorAll(`${SELECTORS.following}, ${SELECTORS.followers}`)]
		.filter(link => (link.getAttribute('href') ?? '').toLowerCase().startsWith(prefix));
	if (links.length === 0) {
		return null;
	}

	// The row is the closest ancestor holding both links (or the first link's parent when alone).
	let row = links[0].parentElement;
	while (row && links.length > 1 && !links.every(link => row?.contains(link))) {
		row = row.parentElement;
	}

	return row instanceof HTMLElement ? row : null;
}

/**
 * Where the row of an account X will not show goes: after the counts or the header when X draws them
 * for it, else before the column's empty state ("Account suspended", "This account doesn't exist").
 * @param {ParentNode} root
 * @param {string} handle
 * @returns {{node: HTMLElement, before: boolean} | null}
 */
export function unavailableAnchor(root, handle) {
	const after = countsRow(root, handle) ?? profileHeader(root, handle);
	if (after) {
		return {node: after, before: false};
	}

	const column = root.querySelector(SELECTORS.primaryColumn) ?? root;
	const empty = column.querySelector(SELECTORS.emptyState);
	return empty instanceof HTMLElement ? {node: empty, before: true} : null;
}
