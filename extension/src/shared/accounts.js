// The accounts X's answers carry beside their subject (post authors, people in lists): the marks beside
// names are drawn from them, with no request to X.

/**
 * The user objects (`__typename` "User") in one of X's answers, by lower-case handle.
 * @param {any} answer the decoded answer
 * @returns {Map<string, object>}
 */
export function accountsIn(answer) {
	const found = new Map();
	const stack = [answer];
	while (stack.length > 0) {
		const node = stack.pop();
		const handle = node.core?.screen_name ?? node.legacy?.screen_name;
		if (node.__typename === 'User' && typeof node.rest_id === 'string' && typeof handle === 'string') {
			found.set(handle.toLowerCase(), node);
		} else {
			for (const key in node) {
				if (node[key] && typeof node[key] === 'object') {
					stack.push(node[key]);
				}
			}
		}
	}

	return found;
}

/**
 * One account as a capture the server reads: X's user object as UserByScreenName answers it.
 * @param {object} user
 */
export const accountBody = user => JSON.stringify({data: {user: {result: user}}});
