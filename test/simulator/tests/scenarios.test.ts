// The shared play-test scenarios (test/scenarios/*.json) against the simulator. The same files run
// against the SDK's in-game stand-in (src/playtest/scenarios.spec.ts), so both follow one set of rules.
// Each play-test scenario is set up here with the simulator's own levers (wallet, launcher, a second PC
// session, a second game); the requests and expectations are the file's.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setup, T0 } from "./helpers";

interface ScenarioFile {
	name: string;
	scenario:
		| { kind: "ok"; isPcCafe?: boolean }
		| { kind: "chargeExhausted" | "replaced"; afterSec: number; isPcCafe?: boolean }
		| { kind: "lost"; afterSec: number; code?: "SESSION_NOT_FOUND" | "SESSION_ENDED"; isPcCafe?: boolean }
		| { kind: "rejected"; reason: "OTT_EXPIRED" | "OTT_ALREADY_USED" | "GAME_MISMATCH" | "NOT_CHARGEABLE" };
	steps: {
		at: number;
		call: "verify" | "heartbeat" | "end";
		user?: "other";
		session?: "unknown";
		play_duration_sec?: number;
		expect: Record<string, unknown>;
	}[];
}

const DIR = join(__dirname, "..", "..", "scenarios");
const USER = "123";
const OTHER_USER = "124";
const ENDLESS = 1e7;

const files: ScenarioFile[] = readdirSync(DIR)
	.filter((f) => f.endsWith(".json"))
	.sort()
	.map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as ScenarioFile);

/** The simulator set up so that `file.scenario` unfolds; time 0 is the token's issuance. */
function arrange(file: ScenarioFile) {
	const t = setup({ launcherMode: "auto" });
	t.sim.addGame({ gameId: "game-b" });
	const s = file.scenario;
	const events: { at: number; run: () => void }[] = [];
	let ott: string;
	/** The clock reading of the file's time 0 (the issuance, except for a token issued a minute early). */
	let zero = T0;
	if (s.kind === "rejected") {
		const balanceSec = s.reason === "NOT_CHARGEABLE" ? 0 : ENDLESS;
		const game = s.reason === "GAME_MISMATCH" ? "game-b" : undefined;
		if (s.reason === "OTT_EXPIRED") zero = T0 + 60; // issued a minute before time 0
		ott = t.sim.issueOtt({ userId: USER, pcId: "pc-1", balanceSec, game });
		if (s.reason === "OTT_ALREADY_USED") {
			const first = t.verify(ott, USER); // another connection used it first
			assert.equal(first.json.data.is_valid, true);
		}
	} else {
		const isPcCafe = s.isPcCafe ?? true;
		if (s.kind === "lost" && (s.code ?? "SESSION_ENDED") === "SESSION_ENDED") {
			// The launcher goes silent at afterSec - 240; the session ends when the silence reaches 4 minutes.
			const silentFrom = s.afterSec - 240;
			assert.ok(
				silentFrom >= 0,
				"a launcher-closed scenario needs afterSec >= 240 to be set up in the simulator",
			);
			ott = t.sim.issueOtt({ userId: USER, pcId: "pc-1", balanceSec: ENDLESS, isPcCafe, launcher: "manual" });
			if (silentFrom > 0) events.push({ at: silentFrom, run: () => t.sim.launcherHeartbeat("pc-1") });
		} else {
			const balanceSec = s.kind === "chargeExhausted" ? s.afterSec : ENDLESS;
			ott = t.sim.issueOtt({ userId: USER, pcId: "pc-1", balanceSec, isPcCafe });
		}
		if (s.kind === "replaced") {
			events.push({
				at: s.afterSec,
				run: () => {
					// A newer session verified on the same PC (another account, so the wallet is untouched).
					const newer = t.sim.issueOtt({ userId: "999", pcId: "pc-1", balanceSec: ENDLESS });
					assert.equal(t.verify(newer, "999").json.data.is_valid, true);
				},
			});
		}
		if (s.kind === "lost" && s.code === "SESSION_NOT_FOUND") {
			// PlayWave deleted the session: from then on it is unknown to heartbeat and end.
			for (const endpoint of ["heartbeat", "end"] as const) {
				t.sim.fault({
					endpoint,
					from: zero + s.afterSec,
					effect: { kind: "error", status: 404, code: "SESSION_NOT_FOUND" },
				});
			}
		}
	}
	return { t, ott, events, zero };
}

function run(file: ScenarioFile) {
	const { t, ott, events, zero } = arrange(file);
	let sessionId = "gs_never-verified";
	for (const [index, step] of file.steps.entries()) {
		const target = zero + step.at;
		for (const event of events.filter((e) => zero + e.at <= target)) {
			t.clock.set(zero + event.at);
			event.run();
			events.splice(events.indexOf(event), 1);
		}
		t.clock.set(target);
		const user = step.user === "other" ? OTHER_USER : USER;
		const id = step.session === "unknown" ? "gs_00000000-0000-4000-8000-000000000000" : sessionId;
		const reply =
			step.call === "verify"
				? t.verify(ott, user)
				: step.call === "heartbeat"
					? t.heartbeat(id, user)
					: t.end(id, step.play_duration_sec);
		if (step.call === "verify" && reply.json?.data?.is_valid === true) sessionId = reply.json.data.game_session_id;
		for (const [key, expected] of Object.entries(step.expect)) {
			const actual =
				key === "status" ? reply.status : key === "code" ? reply.json?.error?.code : reply.json?.data?.[key];
			assert.deepEqual(
				actual,
				expected,
				`step ${index + 1} (${step.call} at ${step.at}): ${key} — ${reply.raw.body}`,
			);
		}
	}
}

describe("shared scenarios (test/scenarios) against the simulator", () => {
	it("there are scenario files", () => assert.ok(files.length >= 10));
	for (const file of files) it(file.name, () => run(file));
});
