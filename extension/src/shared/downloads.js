// Saves a file to the browser's downloads folder (the `downloads` permission). Runs in an extension
// page, which can make a blob URL (Chrome's worker cannot); the URL lives until the download is over.
import {api} from './api.js';

const SAVE_TIMEOUT_MS = 60_000;

/**
 * @param {string} filename relative to the downloads folder; an earlier file of that name is replaced
 * @param {string} text
 * @returns {Promise<string>} where the file went: its full path
 */
export async function saveFile(filename, text) {
	const url = URL.createObjectURL(new Blob([text], {type: 'application/json'}));
	try {
		const id = await api.downloads.download({url, filename, conflictAction: 'overwrite', saveAs: false});
		return await finished(id);
	} finally {
		URL.revokeObjectURL(url);
	}
}

/**
 * @param {number} id
 * @returns {Promise<string>}
 */
function finished(id) {
	return new Promise((resolve, reject) => {
		/** @param {{id: number, state?: unknown}} delta */
		const listener = delta => {
			if (delta.id === id && delta.state) {
				void check();
			}
		};

		const timer = setTimeout(() => stop(new Error('the download did not finish')), SAVE_TIMEOUT_MS);
		/** @param {Error | null} error @param {string} [path] */
		const stop = (error, path = '') => {
			clearTimeout(timer);
			api.downloads.onChanged.removeListener(listener);
			if (error) {
				reject(error);
			} else {
				resolve(path);
			}
		};

		const check = async () => {
			const [item] = await api.downloads.search({id});
			if (item?.state === 'complete') {
				stop(null, item.filename);
			} else if (!item || item.state === 'interrupted') {
				stop(new Error(`the download failed (${item?.error ?? 'it vanished'})`));
			}
		};

		api.downloads.onChanged.addListener(listener);
		void check();
	});
}
