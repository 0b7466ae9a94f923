// The worker's requests and how it reads the server's answers (server/API.md).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	analysisRequest, bundleBody, connectionRequest, connectionVerdict, reportUrl, resultFromResponse,
} from '../src/background/server.js';
import {reportPagePath} from '../src/shared/protocol.js';
import {isLoopbackUrl, withDefaults} from '../src/shared/options.js';

const options = {...withDefaults({}), serverUrl: 'http://127.0.0.1:9000', token: 's3cret', timeZone: 'Europe/Paris'};
const report = {schema: 'profilelens.report/2', account: {handle: 'XDevelopers'}, data: {posts_seen: 1}};

test('one bundle of {url, body} items, with the token and the time zone', () => {
	const user = 'https://x.com/i/api/graphql/a1/UserByScreenName?variables=%7B%7D';
	const tweets = 'https://x.com/i/api/graphql/b2/UserTweets?variables=%7B%22userId%22%3A%221%22%7D';
	const {url, init} = analysisRequest(options, {captures: [{url: user, body: '{"data":{"user":{}}}'}, {url: tweets, body: '{"data":{}}'}]});
	assert.equal(url, 'http://127.0.0.1:9000/v1/analyze');
	assert.equal(/** @type {Record<string, string>} */ (init.headers).Authorization, 'Bearer s3cret');
	assert.deepEqual(JSON.parse(String(init.body)), {
		captures: [{url: user, body: {data: {user: {}}}}, {url: tweets, body: {data: {}}}], tz: 'Europe/Paris',
	});
	// What "Save capture" writes is the bundle the server analyses, byte for byte.
	assert.equal(bundleBody(options, {captures: [{url: user, body: '{"data":{"user":{}}}'}]}),
		`{"captures":[{"url":"${user}","body":{"data":{"user":{}}}}],"tz":"Europe/Paris"}`);
	const dom = analysisRequest(options, {dom: {profilelens_dom: 1, profile: {handle: 'a'}}});
	assert.deepEqual(JSON.parse(String(dom.init.body)).captures, [{profilelens_dom: 1, profile: {handle: 'a'}}]);
});

test('answers become states', () => {
	assert.deepEqual(resultFromResponse(200, {reports: [report]}, 'xdevelopers'), {state: 'ok', report});
	assert.deepEqual(resultFromResponse(200, [report], 'XDevelopers'), {state: 'ok', report});
	assert.equal(resultFromResponse(401, {error: {code: 'unauthorized', message: 'wrong'}}, 'a').state, 'not-paired');
	assert.equal(resultFromResponse(403, null, 'a').state, 'forbidden');
	const refused = resultFromResponse(403, {error: {message: 'Origin x may not use this server'}}, 'a', true, 'abcdefghijklmnopabcdefghijklmnop');
	assert.equal(refused.message, 'Origin x may not use this server. Start the server with PROFILELENS_EXTENSION_IDS=abcdefghijklmnopabcdefghijklmnop to allow this browser\'s ProfileLens.');
	assert.deepEqual(resultFromResponse(400, {error: {code: 'bad_input', message: 'no user'}}, 'a'), {state: 'error', message: 'no user'});
	assert.equal(resultFromResponse(500, null, 'a').message, 'The server answered 500');
	assert.equal(resultFromResponse(200, {reports: []}, 'a').state, 'error');
});

test('only loopback servers, and defaults for anything malformed', () => {
	assert.ok(isLoopbackUrl('http://127.0.0.1:8642'));
	assert.ok(isLoopbackUrl('http://localhost:1234/'));
	assert.ok(!isLoopbackUrl('https://127.0.0.1:8642'));
	assert.ok(!isLoopbackUrl('http://example.com:8642'));
	assert.ok(!isLoopbackUrl('nonsense'));
	const stored = withDefaults({serverUrl: 'http://localhost:9/ ', badges: {mix: false, volume: 'yes'}, token: 7});
	assert.equal(stored.serverUrl, 'http://localhost:9');
	assert.deepEqual(stored.badges, {followBack: true, volume: true, mix: false, verdict: true, audience: true});
	assert.equal(stored.token, '');
});

test('the report page is asked with the token, the handle and the time zone', () => {
	assert.equal(reportUrl(options, 'XDevelopers', false), 'http://127.0.0.1:9000/report/XDevelopers?token=s3cret&tz=Europe%2FParis');
	assert.equal(reportUrl(options, 'XDevelopers', true), 'http://127.0.0.1:9000/report/capture?token=s3cret&handle=XDevelopers&tz=Europe%2FParis');
});

test('"Check connection" asks with the token and says which part is wrong', () => {
	const {url, init} = connectionRequest(options);
	assert.equal(url, 'http://127.0.0.1:9000/v1/model');
	assert.equal(/** @type {Record<string, string>} */ (init.headers).Authorization, 'Bearer s3cret');
	assert.deepEqual(connectionVerdict(null, null, true).problem, 'server');
	assert.match(connectionVerdict(null, null, true).text, /^Server down.*profilelens serve/);
	const refused = connectionVerdict(401, {error: {code: 'unauthorized', message: 'wrong pairing token'}}, true);
	assert.equal(refused.problem, 'token');
	assert.match(refused.text, /^Token refused: the server is running/);
	assert.match(connectionVerdict(401, null, false).text, /^No token: the server is running/);
	assert.equal(connectionVerdict(403, {error: {message: 'Origin x may not use this server'}}, true).problem, 'browser');
	// A Chrome id the server was not told (the Web Store gives its own): the setting that allows it.
	assert.match(connectionVerdict(403, null, true, 'abcdefghijklmnopabcdefghijklmnop').text,
		/PROFILELENS_EXTENSION_IDS=abcdefghijklmnopabcdefghijklmnop to allow/);
	assert.doesNotMatch(connectionVerdict(403, null, true, '0a1b2c3d-moz-uuid').text, /PROFILELENS_EXTENSION_IDS/);
	assert.equal(connectionVerdict(404, null, true).problem, 'server');
	assert.deepEqual(connectionVerdict(200, {trained: true}, true), {problem: null, text: 'Connected: the server is running and accepts the token.'});
	assert.match(connectionVerdict(200, {trained: false}, true).text, /no trained models/);
});

test('the extension\'s report page is opened on a tab and a handle', () => {
	assert.equal(reportPagePath(12, 'XDevelopers'), 'src/report/report.html?tab=12&handle=XDevelopers');
});
