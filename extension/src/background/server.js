// The HTTP side of talking to the server, as pure functions: the request to make and what its answer
// means for the badges (server/API.md).

/**
 * One bundle for all captures of a profile. The bodies are JSON already: they are joined, not re-parsed.
 * @param {import('../shared/options.js').Options} options
 * @param {{captures?: import('../shared/protocol.js').CaptureItem[], dom?: object}} message
 * @returns {{url: string, init: RequestInit}}
 */
export function analysisRequest(options, message) {
	const body = bundleBody(options, message);
	return {
		url: `${options.serverUrl}/v1/analyze`,
		init: {
			method: 'POST',
			headers: {'Content-Type': 'application/json', Authorization: `Bearer ${options.token}`},
			body,
			credentials: 'omit',
			cache: 'no-store',
		},
	};
}

/**
 * The bundle of API.md, `{"captures": [...], "tz": "..."}`: X's answers as `{"url", "body"}` items, or the
 * DOM capture. The server analyses it and "Save capture" writes it as is: the same bytes either way.
 * @param {import('../shared/options.js').Options} options
 * @param {{captures?: import('../shared/protocol.js').CaptureItem[], dom?: object}} message
 */
export function bundleBody(options, message) {
	const items = message.dom
		? [JSON.stringify(message.dom)]
		: (message.captures ?? []).map(item => (item.url ? `{"url":${JSON.stringify(item.url)},"body":${item.body}}` : item.body));
	return `{"captures":[${items.join(',')}],"tz":${JSON.stringify(options.timeZone)}}`;
}

/**
 * How to have the server take a Chrome id it was not told (the Web Store's): its setting.
 * @param {string} extensionId this extension's id (Chrome's: 32 letters a-p; Firefox's: a UUID)
 */
export function allowHint(extensionId) {
	return /^[a-p]{32}$/.test(extensionId)
		? ` Start the server with PROFILELENS_EXTENSION_IDS=${extensionId} to allow this browser's ProfileLens.` : '';
}

/**
 * @param {number} status
 * @param {any} body the decoded JSON answer, or null
 * @param {string} handle the account asked for
 * @param {boolean} [onlyOne] one account was asked: any report answers it (its handle may have changed)
 * @param {string} [extensionId] this extension's id, for the setting that allows it
 * @returns {import('../shared/protocol.js').AnalysisResult}
 */
export function resultFromResponse(status, body, handle, onlyOne = true, extensionId = '') {
	const message = typeof body?.error?.message === 'string' ? body.error.message : undefined;
	if (status === 401) {
		return {state: 'not-paired', message};
	}

	if (status === 403) {
		return {state: 'forbidden', message: `${(message ?? 'The server refused this browser').replace(/\.?$/, '.')}${allowHint(extensionId)}`};
	}

	if (status < 200 || status >= 300) {
		return {state: 'error', message: message ?? `The server answered ${status}`};
	}

	const reports = Array.isArray(body) ? body : Array.isArray(body?.reports) ? body.reports : [body];
	const report = reports.find(item => item?.account?.handle?.toLowerCase() === handle.toLowerCase())
		?? (onlyOne ? reports.find(item => item?.schema === 'profilelens.report/2') : undefined);
	if (!report?.schema) {
		return {state: 'error', message: 'The server answered without a report'};
	}

	return {state: 'ok', report};
}

/**
 * The full report page for a profile on the local server: from the captures posted to it, or, with no
 * capture at hand, looked up by handle (which needs the server's X API token).
 * @param {import('../shared/options.js').Options} options
 * @param {string} handle
 * @param {boolean} withCapture
 */
export function reportUrl(options, handle, withCapture) {
	const url = new URL(withCapture ? '/report/capture' : `/report/${encodeURIComponent(handle)}`, options.serverUrl);
	url.searchParams.set('token', options.token);
	if (withCapture) {
		url.searchParams.set('handle', handle);
	}

	url.searchParams.set('tz', options.timeZone);
	return url.href;
}

/**
 * "Check connection" on the options page: a call that needs the token and costs the server little
 * (`GET /v1/model`), so that a wrong token is found there and not on X.
 * @param {import('../shared/options.js').Options} options
 * @returns {{url: string, init: RequestInit}}
 */
export function connectionRequest(options) {
	return {
		url: `${options.serverUrl}/v1/model`,
		init: {headers: {Authorization: `Bearer ${options.token}`}, credentials: 'omit', cache: 'no-store'},
	};
}

/**
 * What the check found: which part is wrong (`server`, `token`, `browser`), or none.
 * @param {number | null} status null when nothing answered
 * @param {any} body the decoded JSON answer, or null
 * @param {boolean} hasToken
 * @param {string} [extensionId] this extension's id (Chrome's: 32 letters a-p)
 * @returns {{problem: 'server' | 'token' | 'browser' | null, text: string}}
 */
export function connectionVerdict(status, body, hasToken, extensionId = '') {
	const message = typeof body?.error?.message === 'string' ? body.error.message : '';
	if (status === null) {
		return {problem: 'server', text: 'Server down: nothing answers at this URL. Start it with: profilelens serve'};
	}

	if (status === 401) {
		return {
			problem: 'token',
			text: hasToken
				? 'Token refused: the server is running but does not accept this token. Paste the one "profilelens token" prints.'
				: 'No token: the server is running. Paste the token "profilelens token" prints.',
		};
	}

	if (status === 403) {
		return {problem: 'browser', text: `Browser refused: the server is running but refuses this browser${message ? ` (${message})` : ''}.${allowHint(extensionId)}`};
	}

	if (status < 200 || status >= 300) {
		return {problem: 'server', text: `Not a ProfileLens server? It answered ${status}${message ? `: ${message}` : ''}.`};
	}

	return {
		problem: null,
		text: body?.trained === false
			? 'Connected: the server is running and accepts the token, but has no trained models (make train).'
			: 'Connected: the server is running and accepts the token.',
	};
}
