// web-ext reads this for `lint` and `build` (scripts/build.js too): only what the manifest loads is packed.
export default {
	ignoreFiles: [
		'package.json', 'package-lock.json', 'scripts', 'scripts/**', 'test', 'test/**', 'src/**/*.js',
		'web-ext-config.mjs', 'README.md',
	],
};
