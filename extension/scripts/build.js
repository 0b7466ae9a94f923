// Bundles the ES modules in src/ into the scripts the manifest loads (build/), then stages and packs one
// store package per browser into ../dist/ (chrome/ and firefox/, unpacked, and their zips). The source
// manifest serves unpacked installs of extension/ in both browsers; each package gets its own:
// Chrome's without `key` (the Web Store refuses it; the store gives the id), Firefox's without
// Chrome's service worker. `--no-zip` stops after bundling; `--stage` after staging (lint).
import {cp, mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, '..', 'dist');

/** What the packages carry: the manifest, icons, the bundles, the pages' HTML and CSS. */
const SHIPPED = /^(manifest\.json|icons\/[\w-]+\.png|build\/[\w-]+\.js|src\/([\w-]+\/)*[\w-]+\.(html|css))$/;

/** Each store's manifest, from the shared one. */
const MANIFESTS = {
	/** @param {any} manifest */
	chrome({key, browser_specific_settings: _firefox, background, ...manifest}) {
		return {...manifest, background: {service_worker: background.service_worker}};
	},
	/** @param {any} manifest */
	firefox({key, background, ...manifest}) {
		return {...manifest, background: {scripts: background.scripts}};
	},
};

const ENTRY_POINTS = {
	'page-hook': 'src/capture/page-hook.js',
	content: 'src/content/index.js',
	background: 'src/background/worker.js',
	options: 'src/options/options.js',
	popup: 'src/popup/popup.js',
	report: 'src/report/report.js',
};

async function bundle() {
	await rm(path.join(root, 'build'), {recursive: true, force: true});
	const {outputFiles} = await esbuild.build({
		absWorkingDir: root,
		entryPoints: ENTRY_POINTS,
		outdir: 'build',
		bundle: true,
		format: 'iife',
		target: ['chrome111', 'firefox128'],
		legalComments: 'none',
		logLevel: 'warning',
		write: false,
	});
	await mkdir(path.join(root, 'build'), {recursive: true});
	for (const file of outputFiles) {
		await writeFile(file.path, await tabIndented(file.text));
	}
}

/**
 * The scripts ship readable, not minified: indented with tabs, as the sources are, rather than
 * esbuild's two spaces a level (a fifth of the content script's bytes). Checked to change nothing but
 * whitespace outside strings: both versions minify to the same code.
 * @param {string} code
 */
async function tabIndented(code) {
	const tabbed = code.replace(/^(?: {2})+/gm, spaces => '\t'.repeat(spaces.length / 2));
	const minified = async (/** @type {string} */ text) => (await esbuild.transform(text, {minify: true})).code;
	if (await minified(tabbed) !== await minified(code)) {
		throw new Error('re-indenting changed the code (a template literal over several lines?)');
	}

	return tabbed;
}

/**
 * Copies what ships into dist/<browser>/, with that browser's manifest.
 * @param {keyof MANIFESTS} browser
 */
async function stage(browser) {
	const target = path.join(dist, browser);
	await rm(target, {recursive: true, force: true});
	await cp(root, target, {
		recursive: true,
		async filter(source) {
			const relative = path.relative(root, source).split(path.sep).join('/');
			return (await stat(source)).isDirectory() ? /^((icons|build|src)(\/|$)|$)/.test(relative) : SHIPPED.test(relative);
		},
	});
	const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
	await writeFile(path.join(target, 'manifest.json'), `${JSON.stringify(MANIFESTS[browser](manifest), null, 2)}\n`);
	return target;
}

/**
 * @param {keyof MANIFESTS} browser
 * @param {string} sourceDir
 */
async function pack(browser, sourceDir) {
	const webExt = (await import('web-ext')).default;
	const filename = `profilelens-${browser}.zip`;
	await webExt.cmd.build({sourceDir, artifactsDir: dist, filename, overwriteDest: true},
		{showReadyMessage: false, shouldExitProgram: false});
	return filename;
}

await bundle();
if (!process.argv.includes('--no-zip')) {
	const staged = {chrome: await stage('chrome'), firefox: await stage('firefox')};
	if (!process.argv.includes('--stage')) {
		const zips = [await pack('chrome', staged.chrome), await pack('firefox', staged.firefox)];
		console.log(`Built ${zips.map(zip => path.relative(process.cwd(), path.join(dist, zip))).join(' and ')}`);
	}
}
