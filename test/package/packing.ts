// Packs the npm package the way a fresh clone would (no out/, no build/), and sets up fresh games that
// install it: what a roblox-ts user and a Wally user get, for the package tests and the examples.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface PackedFile {
	path: string;
	size: number;
}

export interface Packed {
	/** The .tgz path. */
	tarball: string;
	/** Compressed size in bytes. */
	size: number;
	unpackedSize: number;
	files: PackedFile[];
	/** The clean tree it was packed from. */
	tree: string;
}

const scratch: string[] = [];

/** A temporary directory removed by `cleanUp`. */
export function scratchDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), `playwave-${prefix}-`));
	scratch.push(dir);
	return dir;
}

export function cleanUp(): void {
	for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * `npm pack` in a copy of the repository's tracked and unignored files (what `git clone` gives), with
 * the installed node_modules linked in (what `npm ci` gives): the package's own lifecycle scripts
 * must build whatever it ships.
 */
export function packFromCleanTree(): Packed {
	const dir = scratchDir("pack");
	const tree = join(dir, "tree");
	for (const file of cloneFiles()) {
		mkdirSync(dirname(join(tree, file)), { recursive: true });
		cpSync(join(ROOT, file), join(tree, file));
	}
	symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"), "junction");
	const json = execFileSync(NPM, ["pack", "--json", "--pack-destination", dir], {
		cwd: tree,
		encoding: "utf8",
		stdio: ["ignore", "pipe", "pipe"],
	});
	const [report] = JSON.parse(json) as Array<{
		filename: string;
		size: number;
		unpackedSize: number;
		files: PackedFile[];
	}>;
	return {
		tarball: join(dir, report.filename.replace(/^@/, "").replace("/", "-")),
		size: report.size,
		unpackedSize: report.unpackedSize,
		files: report.files,
		tree,
	};
}

/** What `git clone` would give: tracked files and new files not ignored (deleted ones left out). */
function cloneFiles(): string[] {
	const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
		cwd: ROOT,
		encoding: "utf8",
	});
	return listed.split("\0").filter((file) => file !== "" && existsSync(join(ROOT, file)));
}

/**
 * `packFromCleanTree`, once per content: the package tests run in separate processes, and packing
 * builds the whole SDK. Keyed by every file a clone would have and the installed dependencies' lockfile.
 */
export function packed(): Packed {
	const hash = createHash("sha256");
	for (const file of [...cloneFiles(), "node_modules/.package-lock.json"]) {
		hash.update(file)
			.update("\0")
			.update(readFileSync(join(ROOT, file)))
			.update("\0");
	}
	const cache = join(ROOT, "node_modules", ".cache", "playwave-pack");
	const entry = join(cache, `${hash.digest("hex").slice(0, 16)}.json`);
	if (existsSync(entry)) {
		const cached = JSON.parse(readFileSync(entry, "utf8")) as Packed;
		if (existsSync(cached.tarball)) return cached;
	}
	const fresh = packFromCleanTree();
	mkdirSync(cache, { recursive: true });
	for (const old of existsSync(cache) ? readdirSync(cache) : []) rmSync(join(cache, old), { force: true });
	const tarball = join(cache, basename(fresh.tarball).replace(/\.tgz$/, `-${basename(entry, ".json")}.tgz`));
	cpSync(fresh.tarball, tarball);
	const result = { ...fresh, tarball, tree: "" };
	writeFileSync(`${entry}.tmp`, JSON.stringify(result));
	renameSync(`${entry}.tmp`, entry);
	return result;
}

/** The @rbxts packages a roblox-ts game has besides ours: the compiler's types and our runtime dependencies. */
function rbxtsDependencies(): string[] {
	const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
		dependencies: Record<string, string>;
	};
	return ["@rbxts/types", "@rbxts/compiler-types", ...Object.keys(pkg.dependencies)];
}

/**
 * Copies a roblox-ts game (its package.json, tsconfig.json, default.project.json, src/) into a scratch
 * directory and installs the tarball as `node_modules/@rbxts/playwave`, beside copies of the other
 * @rbxts packages (copies, not links: rbxtsc maps files to the Rojo tree by their real path).
 */
export function freshRbxtsGame(template: string, tarball: string, name = "game"): string {
	const game = join(scratchDir(name), name);
	cpSync(template, game, { recursive: true, filter: (path) => !/[\\/](node_modules|out|include)$/.test(path) });
	const modules = join(game, "node_modules");
	for (const dependency of rbxtsDependencies()) {
		cpSync(join(ROOT, "node_modules", dependency), join(modules, dependency), { recursive: true });
	}
	const target = join(modules, "@rbxts", "playwave");
	mkdirSync(target, { recursive: true });
	execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
	return game;
}

/** Compiles a roblox-ts game with the repository's rbxtsc; throws with the diagnostics on failure. */
export function compileRbxtsGame(game: string): void {
	try {
		execFileSync(process.execPath, [require.resolve("roblox-ts/out/CLI/cli.js"), "-p", "tsconfig.json"], {
			cwd: game,
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
		});
	} catch (error) {
		const failure = error as { stdout?: string; stderr?: string };
		throw new Error(`rbxtsc failed in ${game}:\n${failure.stdout ?? ""}${failure.stderr ?? ""}`);
	}
}

/**
 * What `wally install` leaves in a game's `Packages` folder for `playwave = "playwave/playwave@<v>"`:
 * the package in `_Index/playwave_playwave@<v>/playwave` and a `playwave.lua` link module.
 */
export function installWallyPackage(packages: string, wallyBuild = join(ROOT, "build", "wally")): void {
	const manifest = readFileSync(join(wallyBuild, "wally.toml"), "utf8");
	const version = /^version = "(.+)"$/m.exec(manifest)?.[1];
	const scopedName = /^name = "(.+)"$/m.exec(manifest)?.[1];
	if (version === undefined || scopedName === undefined)
		throw new Error("build/wally/wally.toml: no name or version");
	const [scope, name] = scopedName.split("/");
	const folder = `${scope}_${name}@${version}`;
	// The published tree (wally.toml, default.project.json, src/); Rojo reads the folder's project file.
	cpSync(wallyBuild, join(packages, "_Index", folder, name), { recursive: true });
	writeFileSync(join(packages, `${name}.lua`), `return require(script.Parent._Index["${folder}"]["${name}"])\n`);
}
