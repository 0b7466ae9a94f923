// Bundles the ES modules in src/ into the scripts the manifest loads (build/), then packs the
// extension for both browsers into ../dist/. `--no-zip` stops after bundling (tests, lint).
import {copyFile, mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import config from '../web-ext-config.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, '..', 'dist');

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

async function pack() {
	const webExt = (await import('web-ext')).default;
	await mkdir(dist, {recursive: true});
	const {extensionPath} = await webExt.cmd.build({
		sourceDir: root,
		artifactsDir: dist,
		filename: 'profilelens-firefox.zip',
		overwriteDest: true,
		ignoreFiles: config.ignoreFiles,
	}, {showReadyMessage: false, shouldExitProgram: false});
	// One manifest serves both browsers: Chrome reads service_worker and ignores the gecko settings.
	await copyFile(extensionPath, path.join(dist, 'profilelens-chrome.zip'));
	console.log(`Built ${path.relative(process.cwd(), path.join(dist, 'profilelens-chrome.zip'))} and profilelens-firefox.zip`);
}

await bundle();
if (!process.argv.includes('--no-zip')) {
	await pack();
}
