import { DEFAULT_ACTIONS } from "./defaults";
import { resolveConfig } from "./resolveConfig";
import { expectAbove } from "../../testing/expect";

const noSecrets = (name: string): Secret => error(`Can't find secret with given key ${name}`);

function problem(config: unknown) {
	const result = resolveConfig(config, noSecrets);
	return result.ok ? "ok" : result.error.message;
}

export = () => {
	describe("resolveConfig", () => {
		it("accepts a minimal config and fills in defaults", () => {
			const result = resolveConfig({ apiKey: "k-123456", environment: "live" }, noSecrets);
			expect(result.ok).to.equal(true);
			if (!result.ok) return;
			expect(result.config.requestsPerMinute).to.equal(240);
			expect(result.config.urgentRequestsPerMinute).to.equal(450);
			// The defaults the config's TSDoc and the README promise.
			expect(result.config.shutdownTimeoutSec).to.equal(25);
			expect(result.config.teleportGraceSec).to.equal(5);
			expect(result.config.remoteName).to.equal("PlaywaveNotices");
			expect(result.config.debug).to.equal(false);
			expect(result.config.analytics).to.equal(false);
			expect(result.config.overlay).to.equal(undefined);
			expect(result.config.actions.kickOnSessionLost).to.equal(DEFAULT_ACTIONS.kickOnSessionLost);
			expectAbove(result.config.texts.kickSessionLost.size(), 0);
		});

		it("names the field and what was expected", () => {
			expect(problem({ apiKey: "k-123456", environment: "prod" }).find("environment", 1, true)[0]).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", requestsPerMinute: 5000 }).find(
					"requestsPerMinute",
					1,
					true,
				)[0],
			).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", debug: "yes" }).find("debug", 1, true)[0],
			).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", onVerified: 5 }).find("onVerified", 1, true)[0],
			).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", colour: "red" }).find("colour", 1, true)[0],
			).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", actions: { kickAll: true } }).find(
					"kickAll",
					1,
					true,
				)[0],
			).to.be.ok();
		});

		it("requires exactly one key source and one endpoint", () => {
			expect(problem({ environment: "dev" }).find("apiKey", 1, true)[0]).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", apiKeySecret: "s", environment: "dev" }).find("not both", 1, true)[0],
			).to.be.ok();
			expect(problem({ apiKey: "k-123456" }).find("environment", 1, true)[0]).to.be.ok();
			expect(
				problem({ apiKey: "k-123456", environment: "dev", baseUrl: "https://x/v1" }).find(
					"not both",
					1,
					true,
				)[0],
			).to.be.ok();
			expect(problem({ apiKey: "   ", environment: "dev" }).find("non-empty", 1, true)[0]).to.be.ok();
			expect(problem({ apiKey: "k-123456", baseUrl: "ftp://x" }).find("baseUrl", 1, true)[0]).to.be.ok();
		});

		it("reports a missing Roblox secret by name", () => {
			expect(
				problem({ apiKeySecret: "playwave_key", environment: "dev" }).find('"playwave_key"', 1, true)[0],
			).to.be.ok();
		});

		it("says where a missing secret goes: the dashboard bound to the environment's host, or Studio's Local Secrets", () => {
			const live = problem({ apiKeySecret: "playwave_key", environment: "live" });
			expect(live.find("Creator Dashboard > your experience > Secrets", 1, true)[0]).to.be.ok();
			expect(live.find("domain wave-api.playwave.io", 1, true)[0]).to.be.ok();
			expect(live.find("Local Secrets", 1, true)[0]).to.be.ok();
			const custom = problem({ apiKeySecret: "playwave_key", baseUrl: "https://proxy.example.com:8443/v1" });
			expect(custom.find("domain proxy.example.com.", 1, true)[0]).to.be.ok();
		});

		it("never echoes a key pasted as the secret name, as baseUrl, or as a field name", () => {
			const key = "pw_dev_8f3a9c2d4e5b6a7f8091a2b3c4d5e6f708192a3b";
			for (const config of [
				{ apiKeySecret: key, environment: "dev" },
				{ apiKey: "k-123456", baseUrl: key },
				{ apiKey: "k-123456", environment: "dev", [key]: true },
				{ apiKey: "k-123456", environment: key },
			]) {
				const message = problem(config);
				expect(message).never.to.equal("ok");
				expect(message.find("8f3a9c2d", 1, true)[0]).never.to.be.ok();
			}
			const missing = problem({ apiKeySecret: key, environment: "dev" });
			expect(missing.find("apiKeySecret: no secret named a 47-character string here.", 1, true)[0]).to.equal(1);
		});

		it("never echoes the key in an error", () => {
			const message = problem({ apiKey: "super-secret-key-9", environment: "dev", requestsPerMinute: "lots" });
			expect(message.find("super-secret-key-9", 1, true)[0]).never.to.be.ok();
		});

		it("rejects a non-table", () => {
			expect(problem("key")).to.equal("expected a table, got string");
		});
	});
};
