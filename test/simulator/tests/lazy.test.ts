import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

/** A small deterministic PRNG so the scenario is the same on every run. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

type Step = { at: number; act: "heartbeat" | "end" | "kill" | "topup" | "start"; who: number };

function scenario(seed: number): Step[] {
	const random = prng(seed);
	const steps: Step[] = [];
	let at = 0;
	for (let i = 0; i < 80; i++) {
		at += Math.floor(random() * 90);
		const roll = random();
		const act =
			roll < 0.6 ? "heartbeat" : roll < 0.7 ? "end" : roll < 0.78 ? "kill" : roll < 0.9 ? "topup" : "start";
		steps.push({ at, act, who: Math.floor(random() * 4) });
	}
	return steps;
}

/** Plays a scenario; with `probe`, the simulator is also queried every `probe` seconds in between. */
function play(steps: Step[], probe: number | undefined) {
	const t = setup({ seed: "lazy" });
	const start = t.clock.now();
	const ids: string[] = [];
	const begin = (who: number) => {
		const ott = t.sim.issueOtt({ userId: `u${who % 3}`, pcId: `pc-${who}`, balanceSec: 200 + who * 50 });
		ids[who] = t.verify(ott, `u${who % 3}`.slice(1)).json?.data?.game_session_id;
	};
	for (let who = 0; who < 4; who++) begin(who);
	const answers: string[] = [];
	for (const step of steps) {
		if (probe !== undefined) {
			while (t.clock.now() + probe < start + step.at) {
				t.clock.advance(probe);
				t.sim.balance("u0");
			}
		}
		t.clock.set(start + step.at);
		const id = ids[step.who];
		if (step.act === "heartbeat" && id)
			answers.push(t.heartbeat(id, `${step.who % 3}`).raw.body.replace(/req_\w+/, ""));
		if (step.act === "end" && id) answers.push(String(t.end(id).status));
		if (step.act === "kill") t.sim.killLauncher(`pc-${step.who}`);
		if (step.act === "topup") t.sim.addBalance(`u${step.who % 3}`, 100);
		if (step.act === "start") begin(step.who);
	}
	t.clock.advance(3600);
	const sessions = t.sim
		.sessions()
		.map((s) => [s.endedBy, s.state, s.billedSec.toFixed(6), s.playDurationSec.toFixed(6)]);
	return { answers, sessions, balances: [0, 1, 2].map((u) => t.sim.balance(`u${u}`).toFixed(6)) };
}

describe("lazy evaluation", () => {
	for (const seed of [1, 2, 3, 4, 5]) {
		it(`gives the same answers and ledger whether or not it is queried in between (scenario ${seed})`, () => {
			const steps = scenario(seed);
			const lazy = play(steps, undefined);
			assert.deepEqual(play(steps, 1), lazy);
			assert.deepEqual(play(steps, 7.3), lazy);
		});
	}
});
