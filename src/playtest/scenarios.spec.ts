import { HttpService, ReplicatedStorage } from "@rbxts/services";
import { RequestBuilder } from "../protocol/requests";
import { TransportResult } from "../transport/HttpTransport";
import { ManualClock } from "../testing/ManualClock";
import { PlaywaveStandIn } from "./PlaywaveStandIn";
import { PlaytestScenario, scenarioMismatch } from "./scenarios";
import { expectAtLeast } from "../testing/expect";

/**
 * A shared scenario (`test/scenarios/*.json`, mapped to `ReplicatedStorage.Scenarios` by
 * test.project.json): the same file runs against the Node simulator in
 * `test/simulator/tests/scenarios.test.ts`, so the stand-in and the simulator cannot drift apart.
 */
interface ScenarioFile {
	name: string;
	scenario: PlaytestScenario;
	steps: Array<{
		/** PlayWave seconds after the token was issued. */
		at: number;
		call: "verify" | "heartbeat" | "end";
		/** "other": the heartbeat names another player's UserId. */
		user?: "other";
		/** "unknown": the heartbeat names a session id nobody issued. */
		session?: "unknown";
		play_duration_sec?: number;
		expect: Record<string, unknown>;
	}>;
}

const USER_ID = 123;
const OTHER_USER_ID = 124;

function scenarioFiles(): Array<ScenarioFile> {
	const folder = ReplicatedStorage.FindFirstChild("Scenarios");
	if (!folder) return [];
	const modules = folder.GetChildren().filter((child): child is ModuleScript => child.IsA("ModuleScript"));
	modules.sort((a, b) => a.Name < b.Name);
	return modules.map((module) => require(module) as ScenarioFile);
}

/** Runs one file against a fresh stand-in; returns the first mismatch, or undefined. */
function run(file: ScenarioFile, timeScale: number): string | undefined {
	const clock = new ManualClock();
	const standIn = new PlaywaveStandIn({
		clock,
		timeScale,
		wallClock: () => 1_700_000_000 + clock.now(),
		encodeJson: (value) => HttpService.JSONEncode(value),
		newUuid: () => HttpService.GenerateGUID(false),
	});
	const ott = standIn.issueLaunchData(USER_ID, file.scenario).sub("playwave_".size() + 1);
	const requests = new RequestBuilder({ baseUrl: "https://playtest.invalid/v1" }, "key");
	let sessionId = "gs_never-verified";
	let index = 0;
	for (const step of file.steps) {
		index += 1;
		clock.advance(step.at / timeScale - clock.now());
		const user = step.user === "other" ? OTHER_USER_ID : USER_ID;
		const id = step.session === "unknown" ? "gs_00000000-0000-4000-8000-000000000000" : sessionId;
		const request =
			step.call === "verify"
				? requests.verify(ott, user)
				: step.call === "heartbeat"
					? requests.heartbeat(id, user)
					: requests.end(id, step.play_duration_sec);
		let reply: TransportResult | undefined;
		standIn.send(request, (result) => (reply = result));
		clock.advance(0);
		if (reply === undefined || reply.kind !== "response") return `step ${index}: no reply`;
		const body = HttpService.JSONDecode(reply.body) as {
			data?: Record<string, unknown>;
			error?: { code: string };
		};
		if (step.call === "verify" && body.data?.is_valid === true) sessionId = body.data.game_session_id as string;
		for (const [key, expected] of pairs(step.expect)) {
			let actual: unknown;
			if (key === "status") actual = reply.status;
			else if (key === "code") actual = body.error?.code;
			else actual = body.data?.[key as string];
			if (key === "next_heartbeat_in" && typeIs(expected, "number")) {
				// Scaled: the SDK is told to beat `timeScale` times sooner.
				if (actual !== expected / timeScale) return `step ${index} (${step.call} at ${step.at}): ${key}`;
			} else if (actual !== expected) {
				return `step ${index} (${step.call} at ${step.at}): ${key} expected ${tostring(expected)}, got ${tostring(actual)}`;
			}
		}
	}
	return undefined;
}

export = () => {
	const files = scenarioFiles();

	describe("shared scenarios (test/scenarios) against the stand-in", () => {
		it("are mapped into the test place", () => {
			expectAtLeast(files.size(), 10);
		});

		for (const file of files) {
			it(file.name, () => {
				expect(scenarioMismatch(file.scenario, "scenario")).to.equal(undefined);
				expect(run(file, 1)).to.equal(undefined);
			});
		}
	});

	describe("shared scenarios with time ×60: the same outcomes at a sixtieth of the time", () => {
		for (const file of files) {
			it(file.name, () => {
				expect(run(file, 60)).to.equal(undefined);
			});
		}
	});
};
