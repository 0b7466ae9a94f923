// The bundles captured today, one per account, in the extension's own IndexedDB: "Save all captured
// today" finds them after their tabs closed or reloaded. Each account keeps its latest bundle (it holds
// every page seen before); nothing older than today is kept: each write deletes the other days'.
// Nothing here leaves the browser but the files the user saves.

const DATABASE = 'profilelens';
const STORE = 'captures';

/** Where saved captures go, under the browser's downloads folder. */
export const CAPTURE_FOLDER = 'profilelens-captures';

/**
 * @typedef {{key: string, handle: string, day: string, bundle: string, at: number}} LoggedCapture
 */

/**
 * The calendar day of `date` where the browser is: 2026-05-10.
 * @param {Date} date
 */
export function localDay(date) {
	const pad = (/** @type {number} */ value) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The file one account's capture is saved to, relative to the downloads folder; one folder a day, so
 * that `profilelens vet profilelens-captures/2026-05-10/` vets that day's accounts.
 * @param {string} handle
 * @param {string} day
 */
export function captureFileName(handle, day) {
	// Handles are [A-Za-z0-9_]; anything else (never expected) must not reach a file name.
	const safe = handle.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30) || 'account';
	return `${CAPTURE_FOLDER}/${day}/${safe}.json`;
}

/** @returns {Promise<IDBDatabase>} */
function open() {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DATABASE, 1);
		request.addEventListener('upgradeneeded', () => {
			request.result.createObjectStore(STORE, {keyPath: 'key'});
		});
		request.addEventListener('success', () => resolve(request.result));
		request.addEventListener('error', () => reject(request.error));
	});
}

/**
 * @template T
 * @param {'readonly' | 'readwrite'} mode
 * @param {(store: IDBObjectStore) => T} work
 * @returns {Promise<T>} what `work` returned, once the transaction committed
 */
async function transaction(mode, work) {
	const database = await open();
	try {
		return await new Promise((resolve, reject) => {
			const done = database.transaction(STORE, mode);
			const result = work(done.objectStore(STORE));
			done.addEventListener('complete', () => resolve(result));
			done.addEventListener('error', () => reject(done.error));
			done.addEventListener('abort', () => reject(done.error));
		});
	} finally {
		database.close();
	}
}

/**
 * Keeps the latest bundle of an account for today, and drops every other day's.
 * @param {string} handle
 * @param {string} bundle the bundle's JSON text, as sent to the server
 * @param {Date} [now]
 */
export async function keepCapture(handle, bundle, now = new Date()) {
	const day = localDay(now);
	await transaction('readwrite', store => {
		store.put(/** @type {LoggedCapture} */ ({key: handle.toLowerCase(), handle, day, bundle, at: now.getTime()}));
		store.openCursor().addEventListener('success', function () {
			const cursor = this.result;
			if (cursor) {
				if (/** @type {LoggedCapture} */ (cursor.value).day !== day) {
					cursor.delete();
				}

				cursor.continue();
			}
		});
	});
}

/**
 * Today's bundles, one per account, by handle.
 * @param {Date} [now]
 * @returns {Promise<LoggedCapture[]>}
 */
export async function capturedToday(now = new Date()) {
	const day = localDay(now);
	const request = await transaction('readonly', store => store.getAll());
	return /** @type {LoggedCapture[]} */ (request.result)
		.filter(entry => entry.day === day)
		.sort((one, other) => one.key.localeCompare(other.key));
}
